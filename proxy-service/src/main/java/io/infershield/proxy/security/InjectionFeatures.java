package io.infershield.proxy.security;

/**
 * Hashed features of normalised text: character 3-, 4- and 5-grams and word unigrams and bigrams, each hashed
 * into {@link #BUCKETS} buckets (the hashing trick), plus one indicator per {@link InjectionRules} rule. Each
 * n-gram occurrence is recorded with the normalised position where it ends, so a model can score any window.
 *
 * <p>{@link #ngrams} defines the feature set, and training reads it. The scorer's allocation-free block sums (char
 * n-grams in {@link #blockSums}, word n-grams fed by the rules' word pass into {@link WordGrams}) are tested equal
 * to it block by block.
 */
public final class InjectionFeatures {

    static final int BITS = 18;
    /** 2^18 hashed weights. */
    public static final int BUCKETS = 1 << BITS;

    // odd multipliers for multiply-shift hashing, one per feature kind so the kinds do not collide systematically
    private static final long K3 = 0x9E3779B97F4A7C15L;
    private static final long K4 = 0xC2B2AE3D27D4EB4FL;
    private static final long K5 = 0x165667B19E3779F9L;
    private static final long KW = 0xD6E8FEB86659FD93L;
    private static final long KB = 0xFF51AFD7ED558CCDL;

    /** Receives every n-gram occurrence in text order: its bucket and the normalised index just past it. */
    interface Sink {
        void add(int bucket, int end);
    }

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
        return of(norm, InjectionRules.match(norm.text()));
    }

    static InjectionFeatures of(NormalizedText norm, int[] ruleHits) {
        Collector c = new Collector(norm.text().length() * 5 + 8);
        ngrams(norm.text(), c);
        return new InjectionFeatures(c.b, c.e, c.k, ruleHits, norm);
    }

    private static final class Collector implements Sink {
        int[] b;
        int[] e;
        int k;

        Collector(int cap) {
            b = new int[cap];
            e = new int[cap];
        }

        @Override
        public void add(int bucket, int end) {
            if (k == b.length) {
                b = java.util.Arrays.copyOf(b, k * 2);
                e = java.util.Arrays.copyOf(e, k * 2);
            }
            b[k] = bucket;
            e[k++] = end;
        }
    }

    /**
     * Every n-gram of {@code t}: the last four chars are packed 16 bits each into one long (rolling, no
     * allocation), so the 3- and 4-grams are its low bits and the 5-gram adds the char before them.
     */
    static void ngrams(String t, Sink sink) {
        int n = t.length();
        long packed = 0;
        long word = 0;
        long prevWord = 0;
        int wordLen = 0;
        for (int i = 0; i < n; i++) {
            char c = t.charAt(i);
            packed = (packed << 16) | c;
            int end = i + 1;
            if (i >= 2) {
                sink.add(hash(packed & 0xFFFF_FFFF_FFFFL, K3), end);
                if (i >= 3) {
                    sink.add(hash(packed, K4), end);
                    if (i >= 4) {
                        sink.add(hash(packed * K3 + t.charAt(i - 4), K5), end);
                    }
                }
            }
            boolean wordChar = isWord(c);
            if (wordChar) {
                word = word * 31 + c;
                wordLen++;
            }
            if ((!wordChar || i == n - 1) && wordLen > 0) {
                int we = wordChar ? end : i;
                sink.add(hash(word, KW), we);
                if (prevWord != 0) {
                    sink.add(hash(prevWord * K3 + word, KB), we);
                }
                prevWord = word;
                word = 0;
                wordLen = 0;
            }
        }
    }

    /**
     * The model's block sums: every n-gram's weight {@code q[bucket]} added to the block of its end position
     * ({@code (end - 1) >> shift}), the same n-grams as {@link #ngrams}. The word n-grams were added by the rules'
     * word pass (see {@link WordGrams}); this adds the char n-grams. The scorer's hot loop, so it makes no call
     * through {@link Sink} (which is megamorphic once training and explanations have run), and it sums each block
     * in locals, stored once per block: adding to {@code sum[b]} per char made every iteration wait on the previous
     * iteration's store.
     */
    static void blockSums(char[] t, int n, WordGrams grams) {
        charGramSums(t, n, grams.q, grams.shift, grams.sum, grams.count);
    }

    private static void charGramSums(char[] t, int n, byte[] q, int shift, int[] sum, int[] count) {
        long packed = 0;
        // the first four chars end fewer n-grams: a 3-gram from the third on, a 4-gram from the fourth
        for (int i = 0; i < Math.min(n, 4); i++) {
            packed = (packed << 16) | t[i];
            if (i >= 2) {
                sum[i >> shift] += q[hash(packed & 0xFFFF_FFFF_FFFFL, K3)];
                count[i >> shift]++;
            }
            if (i == 3) {
                sum[i >> shift] += q[hash(packed, K4)];
                count[i >> shift]++;
            }
        }
        // from the fifth char on, three n-grams end at every char; packed holds the last four chars read
        for (int b = 0, from = 0; from < n; b++, from += 1 << shift) {
            int first = Math.max(from, 4);
            int to = Math.min(n, from + (1 << shift));
            int s = 0;
            for (int i = first; i < to; i++) {
                packed = (packed << 16) | t[i];
                s += q[hash(packed & 0xFFFF_FFFF_FFFFL, K3)] + q[hash(packed, K4)] + q[hash(packed * K3 + t[i - 4], K5)];
            }
            sum[b] += s;
            count[b] += 3 * Math.max(0, to - first);
        }
    }

    /**
     * Block sums of the word n-grams (each word, and each word with the one before it), fed a word at a time by
     * {@link InjectionRules#match} as it walks the words: a word boundary every few chars is a branch that is hard
     * to predict, and walking the chars a second time for these n-grams cost as much as the rules' walk.
     */
    static final class WordGrams {
        final byte[] q;
        final int shift;
        /** Per block: the weight sum and number of the n-grams that end in it. */
        final int[] sum;
        final int[] count;
        private long prev;

        /** For a text of {@code n} chars, in blocks of {@code 2^shift} chars. */
        WordGrams(byte[] q, int shift, int n) {
            this.q = q;
            this.shift = shift;
            this.sum = new int[(n >> shift) + 2];
            this.count = new int[sum.length];
        }

        /** The word with hash {@code word} (as {@link #ngrams} hashes it) ends at {@code end} (exclusive). */
        void add(long word, int end) {
            int b = (end - 1) >> shift;
            int v = q[hash(word, KW)];
            int m = 1;
            if (prev != 0) {
                v += q[hash(prev * K3 + word, KB)];
                m = 2;
            }
            sum[b] += v;
            count[b] += m;
            prev = word;
        }
    }

    /**
     * Multiply-shift: the top {@link #BITS} bits of {@code h = (x + k) * k}. The model format defines the bucket as
     * {@code (h ^ (h >>> 29)) >>> (64 - BITS)}; that xor changes only bits below 64 - 29 = 35, which the shift
     * drops (while {@code BITS <= 29}), so it is left out of the hot loop and the buckets stay the same.
     */
    static int hash(long x, long k) {
        return (int) (((x + k) * k) >>> (64 - BITS));
    }

    private static final long[] ADDRESSEE_WORDS = wordHashes("you", "your", "yours", "yourself", "youre", "u", "ur",
            "assistant", "ai", "chatgpt", "gpt", "llm", "bot", "chatbot", "model");

    /**
     * Whether the text addresses the assistant by one of the {@link #ADDRESSEE_WORDS} as a whole word of prose
     * ("you're" counts: the apostrophe ends the word). A word inside a path, identifier, option or placeholder
     * ({@code /your/dir}, {@code your_file}, {@code $YOUR_USER}, {@code -u}, {@code <your-key>}) or inside a
     * short double-quoted string (a prompt or message string, as in {@code read -p "Are you sure?"}) names
     * something; it does not speak to the assistant. A longer quotation still counts, so quoting a whole
     * injection does not hide it from the model. One pass, no regular expression.
     */
    /** The longest double-quoted string, in chars, treated as a quoted name or message rather than prose. */
    private static final int SHORT_QUOTE = 80;

    static boolean addressesAssistant(String t) {
        long word = 0;
        int len = 0;
        int start = 0;
        int quoteEnd = -1; // index of the closing quote of the short string being read, or -1
        for (int i = 0, n = t.length(); i <= n; i++) {
            char c = i < n ? t.charAt(i) : ' ';
            if (isWord(c)) {
                if (len == 0) {
                    start = i;
                }
                word = word * 31 + c;
                len++;
                continue;
            }
            // the word is compared before its neighbours are: prose() is the costlier test and nearly every word fails the other
            if (len > 0 && len <= 9 && quoteEnd < 0 && addressee(word) && prose(t, start, i)) {
                return true;
            }
            if (c == '"') {
                quoteEnd = quoteEnd == i ? -1 : t.indexOf('"', i + 1);
                if (quoteEnd - i > SHORT_QUOTE) {
                    quoteEnd = -1;
                }
            }
            word = 0;
            len = 0;
        }
        return false;
    }

    private static boolean addressee(long word) {
        for (long h : ADDRESSEE_WORDS) {
            if (h == word) {
                return true;
            }
        }
        return false;
    }

    /** Whether the word at [s, e) stands in prose: not joined to a path, identifier, option or placeholder. */
    private static boolean prose(String t, int s, int e) {
        char before = s > 0 ? t.charAt(s - 1) : ' ';
        char after = e < t.length() ? t.charAt(e) : ' ';
        if ("/\\_-$.~@=<{%#".indexOf(before) >= 0 || "/\\_->}=@".indexOf(after) >= 0) {
            return false;
        }
        // "your.server" or "you.txt": a dot followed by a word char is a name, a dot followed by a blank ends a sentence
        return after != '.' || e + 1 >= t.length() || !isWord(t.charAt(e + 1));
    }

    private static long[] wordHashes(String... words) {
        long[] out = new long[words.length];
        for (int i = 0; i < words.length; i++) {
            out[i] = hashWord(words[i], 0, words[i].length());
        }
        return out;
    }

    /**
     * The readable n-gram ending at normalised {@code end} whose bucket is {@code bucket} (for explanations): the
     * shortest suffix of the piece before {@code end} (from a word start at most 128 chars back) that produces the
     * bucket at its end when read alone by {@link #ngrams}, or {@code #bucket} when the piece does not.
     *
     * <p>The n-grams {@link #ngrams} emits at the end of a piece depend only on its last three to five chars, the
     * word those chars end (cut at the piece's start) and the word before it (also cut there). So one backward walk
     * tests every suffix length, updating the two word hashes by one char per step, instead of one n-gram pass per
     * suffix.
     */
    static String describe(String t, int end, int bucket) {
        int from = Math.max(0, end - 64);
        int s0 = from;
        // start at a word boundary so word features are recomputed as in the full pass
        for (int k = 0; k < 64 && s0 > 0 && isWord(t.charAt(s0 - 1)); k++) {
            s0--;
        }
        int len = end - s0;
        long packed = 0;
        for (int i = Math.max(s0, end - 4); i < end; i++) {
            packed = (packed << 16) | t.charAt(i);
        }
        int c3 = len >= 3 ? hash(packed & 0xFFFF_FFFF_FFFFL, K3) : -1;
        int c4 = len >= 4 ? hash(packed, K4) : -1;
        int c5 = len >= 5 ? hash(packed * K3 + t.charAt(end - 5), K5) : -1;
        boolean wordEnd = isWord(t.charAt(end - 1));
        long word = 0; // hash of the word the suffix ends with, cut at the suffix start
        long prev = 0; // hash of the word before it, cut at the suffix start; 0 while there is none
        long pow = 1;
        int phase = 0; // the suffix starts: 0 in the last word, 1 between the two words, 2 in the word before, 3 before it
        int shortest = 0;
        boolean whole = false;
        for (int l = 1; l <= len; l++) {
            char c = t.charAt(end - l);
            boolean w = isWord(c);
            if (phase == 0 && !w) {
                phase = 1;
            }
            if (phase == 1 && w) {
                phase = 2;
                pow = 1;
            }
            if (phase == 2 && !w) {
                phase = 3;
            }
            if (phase == 0) {
                word += c * pow;
                pow *= 31;
            } else if (phase == 2) {
                prev += c * pow;
                pow *= 31;
            }
            boolean hit = (l >= 3 && bucket == c3) || (l >= 4 && bucket == c4) || (l >= 5 && bucket == c5)
                    || (wordEnd && (bucket == hash(word, KW) || (prev != 0 && bucket == hash(prev * K3 + word, KB))));
            if (hit && shortest == 0 && l <= 64) {
                shortest = l;
            }
            whole = hit;
        }
        if (!whole) {
            return "#" + bucket;
        }
        return "'" + t.substring(shortest > 0 ? end - shortest : s0, end) + "'";
    }

    static boolean isWord(char c) {
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
