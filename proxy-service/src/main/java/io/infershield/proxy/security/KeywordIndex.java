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

    private final int[][] next;
    private final int[][] out;
    private final int[] lengths;

    KeywordIndex(List<String> keywords) {
        List<int[]> gotoRows = new ArrayList<>();
        List<List<Integer>> outs = new ArrayList<>();
        gotoRows.add(newRow());
        outs.add(new ArrayList<>());
        lengths = new int[keywords.size()];
        for (int k = 0; k < keywords.size(); k++) {
            String w = keywords.get(k).toLowerCase(java.util.Locale.ROOT);
            lengths[k] = w.length();
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
        int n = gotoRows.size();
        int[] fail = new int[n];
        next = new int[n][];
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
        out = new int[n][];
        for (int s = 0; s < n; s++) {
            next[s] = gotoRows.get(s);
            out[s] = outs.get(s).stream().mapToInt(Integer::intValue).toArray();
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
        int s = 0;
        for (int i = 0, n = text.length(); i < n; i++) {
            int c = text.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                c += 32;
            } else if (c >= 128) {
                s = 0;
                continue;
            }
            s = next[s][c];
            int[] o = out[s];
            for (int k : o) {
                hits.hit(k, i + 1);
            }
        }
    }
}
