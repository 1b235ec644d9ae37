package io.infershield.proxy.security;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Case-insensitive Aho-Corasick automaton over ASCII keywords: one pass over the text finds every keyword
 * occurrence, so a rule's (costlier) pattern only runs near its keywords, as gitleaks does. Linear in the
 * text length plus the number of hits.
 */
final class KeywordIndex {

    /** Receives each hit: the keyword's id and the index just past its last char. */
    interface Hits {
        void hit(int keywordId, int end);
    }

    /**
     * Char classes: every ASCII char that occurs in some keyword (upper case folded onto lower case) has its own
     * class, all other chars share class 0. Keeping the table this narrow (a few dozen classes instead of 128) keeps
     * it in the first-level caches, which is most of the keyword pass's speed.
     */
    private final int[] charClass = new int[128];
    private final int classes;
    /**
     * Flat transition table indexed by {@code state + class}, states premultiplied by {@link #classes}. An entry is
     * the target state (premultiplied), negated (bit 31 set) when keywords end in the target.
     */
    private final int[] next;
    /** Keyword ids ending in each state: {@code outIds[outStart[s] .. outStart[s + 1])}. */
    private final int[] outStart;
    private final int[] outIds;
    private final int[] lengths;
    /** The longest keyword's length: no state stands for more chars than that. */
    private final int maxLength;
    private static final int HAS_OUTPUT = 1 << 31;
    private static final int BLOCK = 4096;

    KeywordIndex(List<String> keywords) {
        List<int[]> gotoRows = new ArrayList<>();
        List<List<Integer>> outs = new ArrayList<>();
        gotoRows.add(newRow());
        outs.add(new ArrayList<>());
        lengths = new int[keywords.size()];
        int longest = 0;
        for (int k = 0; k < keywords.size(); k++) {
            String w = keywords.get(k).toLowerCase(java.util.Locale.ROOT);
            lengths[k] = w.length();
            longest = Math.max(longest, w.length());
            int s = 0;
            for (int i = 0; i < w.length(); i++) {
                int c = w.charAt(i);
                if (c >= 128) {
                    throw new IllegalArgumentException("keywords are ASCII: " + w);
                }
                if (gotoRows.get(s)[c] < 0) {
                    gotoRows.get(s)[c] = gotoRows.size();
                    gotoRows.add(newRow());
                    outs.add(new ArrayList<>());
                }
                s = gotoRows.get(s)[c];
            }
            outs.get(s).add(k);
        }
        maxLength = longest;
        int n = gotoRows.size();
        int[] fail = new int[n];
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        int[] root = gotoRows.get(0);
        for (int c = 0; c < 128; c++) {
            if (root[c] < 0) {
                root[c] = 0;
            } else {
                fail[root[c]] = 0;
                queue.add(root[c]);
            }
        }
        while (!queue.isEmpty()) {
            int s = queue.poll();
            int[] row = gotoRows.get(s);
            outs.get(s).addAll(outs.get(fail[s]));
            for (int c = 0; c < 128; c++) {
                int t = row[c];
                if (t < 0) {
                    row[c] = gotoRows.get(fail[s])[c];
                } else {
                    fail[t] = gotoRows.get(fail[s])[c];
                    queue.add(t);
                }
            }
        }
        int k = 1;
        int[] representative = new int[129];
        for (String w : keywords) {
            for (char c : w.toLowerCase(java.util.Locale.ROOT).toCharArray()) {
                if (charClass[c] == 0) {
                    representative[k] = c;
                    charClass[c] = k++;
                }
            }
        }
        for (int c = 'A'; c <= 'Z'; c++) {
            charClass[c] = charClass[c + 32];
        }
        classes = k;
        // class 0 stands for every char in no keyword: any of them behaves like one that is not a keyword char
        int outsider = 0;
        while (outsider < 128 && (charClass[outsider] != 0 || (outsider >= 'A' && outsider <= 'Z'))) {
            outsider++;
        }
        representative[0] = outsider;
        next = new int[n * classes];
        outStart = new int[n + 1];
        int total = 0;
        for (int s = 0; s < n; s++) {
            int[] row = gotoRows.get(s);
            for (int c = 0; c < classes; c++) {
                int t = row[representative[c]];
                next[s * classes + c] = t * classes | (outs.get(t).isEmpty() ? 0 : HAS_OUTPUT);
            }
            outStart[s] = total;
            total += outs.get(s).size();
        }
        outStart[n] = total;
        outIds = new int[total];
        for (int s = 0, o = 0; s < n; s++) {
            for (int id : outs.get(s)) {
                outIds[o++] = id;
            }
        }
    }

    private static int[] newRow() {
        int[] row = new int[128];
        Arrays.fill(row, -1);
        return row;
    }

    int length(int keywordId) {
        return lengths[keywordId];
    }

    void scan(CharSequence text, Hits hits) {
        if (text instanceof String str) {
            scan(str, hits);
            return;
        }
        int s = 0;
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            s = c < 128 ? next[s + charClass[c]] : 0;
            if (s < 0) {
                s &= ~HAS_OUTPUT;
                report(s / classes, i + 1, hits);
            }
        }
    }

    /**
     * The same pass specialised for {@code String}, the hot path: the text is copied in blocks into char arrays, so
     * the per-char work is one table lookup, without {@code String.charAt}'s coder dispatch. Each step waits for
     * the previous step's table load, so a long text is read as two halves at once, two independent chains the
     * CPU overlaps. The second half starts {@link #maxLength} chars early from the root: a state stands for at most
     * the last {@code maxLength} chars read, so by the half's start it is the state the first half would have
     * reached there. Its hits are buffered and reported after the first half's, so the order is the text's.
     */
    void scan(String text, Hits hits) {
        int n = text.length();
        int mid = (n + maxLength) >>> 1;
        if (n < 2 * BLOCK) {
            scanRange(text, 0, n, hits);
            return;
        }
        int bFrom = mid - maxLength; // lane b reads [bFrom, n) and reports the hits that end after mid
        char[] blockA = new char[BLOCK];
        char[] blockB = new char[BLOCK];
        int[] later = new int[64]; // lane b's hits: state, end
        int laterLen = 0;
        int sa = 0;
        int sb = 0;
        // lane a reads [0, mid), a block of each lane per round, until lane a is done (lane b is no shorter)
        for (int base = 0; base < mid; base += BLOCK) {
            int len = Math.min(BLOCK, mid - base);
            text.getChars(base, base + len, blockA, 0);
            text.getChars(bFrom + base, bFrom + base + len, blockB, 0);
            for (int j = 0; j < len; j++) {
                char ca = blockA[j];
                char cb = blockB[j];
                // non-ASCII never occurs in a keyword: back to the root
                sa = ca < 128 ? next[sa + charClass[ca]] : 0;
                sb = cb < 128 ? next[sb + charClass[cb]] : 0;
                if (sa < 0) {
                    sa &= ~HAS_OUTPUT;
                    report(sa / classes, base + j + 1, hits);
                }
                if (sb < 0) {
                    sb &= ~HAS_OUTPUT;
                    int end = bFrom + base + j + 1;
                    if (end > mid) {
                        if (laterLen + 2 > later.length) {
                            later = Arrays.copyOf(later, later.length * 2);
                        }
                        later[laterLen++] = sb / classes;
                        later[laterLen++] = end;
                    }
                }
            }
        }
        for (int k = 0; k < laterLen; k += 2) {
            report(later[k], later[k + 1], hits);
        }
        // the rest of lane b, single
        int s = sb;
        for (int base = bFrom + mid; base < n; base += BLOCK) {
            int len = Math.min(BLOCK, n - base);
            text.getChars(base, base + len, blockB, 0);
            for (int j = 0; j < len; j++) {
                char c = blockB[j];
                s = c < 128 ? next[s + charClass[c]] : 0;
                if (s < 0) {
                    s &= ~HAS_OUTPUT;
                    report(s / classes, base + j + 1, hits);
                }
            }
        }
    }

    /** One chain over {@code text[from, to)} from the root, a block at a time. */
    private void scanRange(String text, int from, int to, Hits hits) {
        char[] block = new char[Math.min(to - from, BLOCK)];
        int s = 0;
        for (int base = from; base < to; base += BLOCK) {
            int len = Math.min(BLOCK, to - base);
            text.getChars(base, base + len, block, 0);
            for (int j = 0; j < len; j++) {
                char c = block[j];
                // non-ASCII never occurs in a keyword: back to the root
                s = c < 128 ? next[s + charClass[c]] : 0;
                if (s < 0) {
                    s &= ~HAS_OUTPUT;
                    report(s / classes, base + j + 1, hits);
                }
            }
        }
    }

    private void report(int state, int end, Hits hits) {
        for (int k = outStart[state]; k < outStart[state + 1]; k++) {
            hits.hit(outIds[k], end);
        }
    }
}
