package io.infershield.proxy.security;

import com.google.re2j.Matcher;
import java.util.ArrayList;
import java.util.List;

/**
 * Hashed features of normalised text: character 3-, 4- and 5-grams and word unigrams and bigrams, each hashed
 * into {@link #BUCKETS} buckets (the hashing trick), plus one indicator per {@link InjectionRules} rule. Each
 * n-gram occurrence is recorded with the normalised position where it ends, so a model can score any window.
 */
public final class InjectionFeatures {

    /** 2^18 hashed weights. */
    public static final int BUCKETS = 1 << 18;
    private static final int MASK = BUCKETS - 1;

    /** Bucket and end position of every n-gram occurrence, in text order. */
    final int[] buckets;
    final int[] ends;
    final int size;
    /** Rule hits on the normalised text: rule index, start, end (normalised offsets), flattened. */
    final int[] ruleHits;
    final NormalizedText normalized;

    private InjectionFeatures(int[] buckets, int[] ends, int size, int[] ruleHits, NormalizedText normalized) {
        this.buckets = buckets;
        this.ends = ends;
        this.size = size;
        this.ruleHits = ruleHits;
        this.normalized = normalized;
    }

    public static InjectionFeatures of(String original) {
        return of(NormalizedText.of(original));
    }

    static InjectionFeatures of(NormalizedText norm) {
        String t = norm.text();
        int n = t.length();
        int cap = n * 5 + 8;
        int[] b = new int[cap];
        int[] e = new int[cap];
        int k = 0;
        long word = 0;
        long prevWord = 0;
        int wordLen = 0;
        for (int i = 0; i < n; i++) {
            char c = t.charAt(i);
            // char n-grams ending at i
            long h = 0;
            for (int len = 1; len <= 5 && i - len + 1 >= 0; len++) {
                h = h * 0x100000001B3L + t.charAt(i - len + 1) + 1;
                if (len >= 3) {
                    if (k + 3 > b.length) {
                        b = java.util.Arrays.copyOf(b, b.length * 2);
                        e = java.util.Arrays.copyOf(e, e.length * 2);
                    }
                    b[k] = bucket(h, len);
                    e[k++] = i + 1;
                }
            }
            boolean wordChar = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c > 127;
            if (wordChar) {
                word = word * 31 + c;
                wordLen++;
            }
            if ((!wordChar || i == n - 1) && wordLen > 0) {
                int end = wordChar ? i + 1 : i;
                if (k + 3 > b.length) {
                    b = java.util.Arrays.copyOf(b, b.length * 2);
                    e = java.util.Arrays.copyOf(e, e.length * 2);
                }
                b[k] = bucket(word, 11);
                e[k++] = end;
                if (prevWord != 0) {
                    b[k] = bucket(prevWord * 0x9E3779B97F4A7C15L + word, 12);
                    e[k++] = end;
                }
                prevWord = word;
                word = 0;
                wordLen = 0;
            }
        }
        // each rule runs only on merged windows around its keywords (linear: bounded work per window char)
        int rules = InjectionRules.ALL.size();
        int[] from = new int[rules];
        int[] to = new int[rules];
        java.util.Arrays.fill(from, -1);
        int[] firstStart = new int[rules];
        int[] firstEnd = new int[rules];
        java.util.Arrays.fill(firstStart, -1);
        String text = t;
        InjectionRules.KEYWORDS.scan(t, (kw, end) -> {
            int r = InjectionRules.KEYWORD_RULE[kw];
            if (firstStart[r] >= 0) {
                return;
            }
            int ws = Math.max(0, end - InjectionRules.REACH);
            int we = Math.min(text.length(), end + InjectionRules.REACH);
            if (from[r] >= 0 && ws <= to[r]) {
                to[r] = Math.max(to[r], we);
                return;
            }
            if (from[r] >= 0) {
                match(r, text, from[r], to[r], firstStart, firstEnd);
            }
            from[r] = ws;
            to[r] = we;
        });
        List<Integer> hits = new ArrayList<>();
        for (int r = 0; r < rules; r++) {
            if (firstStart[r] < 0 && from[r] >= 0) {
                match(r, t, from[r], to[r], firstStart, firstEnd);
            }
            if (firstStart[r] >= 0) {
                hits.add(r);
                hits.add(firstStart[r]);
                hits.add(firstEnd[r]);
            }
        }
        return new InjectionFeatures(b, e, k, hits.stream().mapToInt(Integer::intValue).toArray(), norm);
    }

    private static void match(int r, String t, int from, int to, int[] firstStart, int[] firstEnd) {
        if (firstStart[r] >= 0) {
            return;
        }
        // widen by one char each side so \\b sees the true neighbours
        int s = Math.max(0, from - 1);
        Matcher m = InjectionRules.ALL.get(r).pattern().matcher(t.substring(s, Math.min(t.length(), to + 1)));
        if (m.find()) {
            firstStart[r] = s + m.start();
            firstEnd[r] = s + m.end();
        }
    }

    static int bucket(long h, int salt) {
        long x = h ^ (salt * 0xC2B2AE3D27D4EB4FL);
        x ^= x >>> 33;
        x *= 0xFF51AFD7ED558CCDL;
        x ^= x >>> 33;
        return (int) (x & MASK);
    }

    /** The readable n-gram ending at normalised {@code end} whose bucket is {@code bucket} (for explanations). */
    static String describe(String t, int end, int bucket) {
        long h = 0;
        for (int len = 1; len <= 5 && end - len >= 0; len++) {
            h = h * 0x100000001B3L + t.charAt(end - len) + 1;
            if (len >= 3 && bucket(h, len) == bucket) {
                return "'" + t.substring(end - len, end) + "'";
            }
        }
        int s = end;
        while (s > 0 && isWord(t.charAt(s - 1))) {
            s--;
        }
        long word = hashWord(t, s, end);
        if (bucket(word, 11) == bucket) {
            return "\"" + t.substring(s, end) + "\"";
        }
        int pe = s;
        while (pe > 0 && !isWord(t.charAt(pe - 1))) {
            pe--;
        }
        int ps = pe;
        while (ps > 0 && isWord(t.charAt(ps - 1))) {
            ps--;
        }
        return "\"" + t.substring(ps, pe) + " " + t.substring(s, end) + "\"";
    }

    private static boolean isWord(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c > 127;
    }

    private static long hashWord(String t, int s, int e) {
        long w = 0;
        for (int i = s; i < e; i++) {
            w = w * 31 + t.charAt(i);
        }
        return w;
    }
}
