package io.infershield.proxy.security;

import java.text.Normalizer;
import java.util.Map;

/**
 * The normalisation as it was before its offsets were stored compactly (a per-char origin array), kept as the
 * reference that {@link NormalizedTextTest} compares {@link NormalizedText} with on random texts.
 *
 * <p>The text as the injection detectors see it, defeating common obfuscation: NFKD compatibility folding,
 * zero-width and other format chars removed, homoglyphs (Cyrillic, Greek, fullwidth) folded to Latin, accents
 * stripped, lower case, whitespace runs collapsed, leetspeak digits read as letters inside words, and
 * letter-by-letter spacing ("i g n o r e") joined. {@link #originalStart}/{@link #originalEnd} map every
 * normalised offset back to the original text.
 */
final class NormalizedTextReference {

    private static final Map<Character, Character> HOMOGLYPHS = homoglyphs();

    private final String text;
    private final char[] chars;
    /** Original index of each normalised char; only the first {@code length} entries are used. */
    private final int[] origin;
    private final int length;
    private final int originalLength;

    private NormalizedTextReference(String text, char[] chars, int[] origin, int length, int originalLength) {
        this.text = text;
        this.chars = chars;
        this.origin = origin;
        this.length = length;
        this.originalLength = originalLength;
    }

    public String text() {
        return text;
    }

    /** The normalised chars, the first {@code text().length()} of them valid; shared, never to be written. */
    char[] chars() {
        return chars;
    }

    /** Original index of the normalised char at {@code i}. */
    public int originalStart(int i) {
        return i < length ? origin[i] : originalLength;
    }

    /** Original end index (exclusive) of a normalised span ending at {@code end} (exclusive). */
    public int originalEnd(int end) {
        if (end <= 0) {
            return 0;
        }
        int last = origin[Math.min(end, length) - 1];
        // the original char may be a surrogate pair or a decomposed sequence; extend to the next mapped char
        int next = end < length ? origin[end] : originalLength;
        return Math.max(last + 1, Math.min(next, last + 2));
    }

    static NormalizedTextReference of(String s) {
        int n = s.length();
        char[] out = new char[n + 16];
        int[] org = new int[n + 16];
        long prefix = foldAsciiPrefix(s, out, org);
        int i = (int) (prefix >>> 32);
        int len = (int) prefix;
        boolean lastWasSpace = len == 0 || out[len - 1] == ' ';
        while (i < n) {
            char ch = s.charAt(i);
            if (ch < 128) {
                // table-driven ASCII: no allocation, the common case for IDE traffic
                char c = ASCII[ch];
                i++;
                if (c == ' ') {
                    if (lastWasSpace) {
                        continue;
                    }
                    lastWasSpace = true;
                } else {
                    lastWasSpace = false;
                }
                if (len == out.length) {
                    out = java.util.Arrays.copyOf(out, out.length * 2);
                    org = java.util.Arrays.copyOf(org, org.length * 2);
                }
                out[len] = c;
                org[len++] = i - 1;
                continue;
            }
            int cp = s.codePointAt(i);
            int width = Character.charCount(cp);
            String folded = fold(cp);
            for (int k = 0; k < folded.length(); k++) {
                char c = folded.charAt(k);
                boolean space = Character.isWhitespace(c) || Character.isSpaceChar(c);
                if (space) {
                    if (lastWasSpace) {
                        continue;
                    }
                    c = ' ';
                }
                lastWasSpace = space;
                if (len + 1 >= out.length) {
                    out = java.util.Arrays.copyOf(out, out.length * 2);
                    org = java.util.Arrays.copyOf(org, org.length * 2);
                }
                out[len] = c;
                org[len++] = i;
            }
            i += width;
        }
        int first = deleet(out, len);
        len = despace(s, out, org, len, first);
        return new NormalizedTextReference(new String(out, 0, len), out, org, len, n);
    }

    /**
     * The general loop's work on the ASCII prefix of {@code s}, in one tight loop: folded chars and their origins
     * into {@code out}/{@code org}. Returns the prefix length (the index of the first non-ASCII char, or the
     * length of {@code s}) in the high 32 bits and the number of chars written in the low 32 bits.
     */
    private static long foldAsciiPrefix(String s, char[] out, int[] org) {
        int n = s.length();
        // fold in place: while every char is ASCII the output never outgrows the input
        s.getChars(0, n, out, 0);
        int len = 0;
        int lastSpace = 1;
        int i = 0;
        for (; i < n; i++) {
            char ch = out[i];
            if (ch >= 128) {
                break;
            }
            // invariant: len <= i, so out[len] is out[i] or a slot already read. The folded char is always
            // written and kept (len advances) unless it is a space after a space.
            char c = ASCII[ch];
            int space = c == ' ' ? 1 : 0;
            out[len] = c;
            org[len] = i;
            len += 1 - (space & lastSpace);
            lastSpace = space;
        }
        return (long) i << 32 | len;
    }

    /** ASCII folded: lower case, every whitespace char a space. */
    private static final char[] ASCII = new char[128];
    /** Folded non-ASCII BMP chars, filled on first use (racy but idempotent: Strings are immutable). */
    private static final String[] BMP = new String[65536];

    static {
        for (char c = 0; c < 128; c++) {
            ASCII[c] = Character.isWhitespace(c) || Character.isSpaceChar(c) ? ' '
                    : c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
        }
    }

    private static String fold(int cp) {
        if (cp < 65536) {
            String f = BMP[cp];
            if (f == null) {
                f = foldSlow(cp);
                BMP[cp] = f;
            }
            return f;
        }
        return foldSlow(cp);
    }

    private static String foldSlow(int cp) {
        if (Character.getType(cp) == Character.FORMAT || cp == 0x034F || cp == 0x115F || cp == 0x1160
                || cp == 0x3164 || (cp >= 0xFE00 && cp <= 0xFE0F)) {
            return ""; // zero-width, joiners, bidi controls, soft hyphen, variation selectors
        }
        String k = Normalizer.normalize(new String(Character.toChars(cp)), Normalizer.Form.NFKD);
        StringBuilder b = new StringBuilder(k.length());
        for (int i = 0; i < k.length(); i++) {
            char c = k.charAt(i);
            if (Character.getType(c) == Character.NON_SPACING_MARK) {
                continue;
            }
            c = Character.toLowerCase(c);
            Character h = HOMOGLYPHS.get(c);
            b.append(h != null ? h : c);
        }
        return b.toString();
    }

    /**
     * Leetspeak inside words: a digit or symbol between letters, or glued to letters, reads as a letter. The same
     * pass finds where {@link #despace} starts: the first lone-letter pair (see {@link #PAIR}), or
     * {@code len} when there is none.
     */
    private static int deleet(char[] c, int len) {
        int h = 0; // class bits of the chars so far, see PAIR
        int i = 0;
        for (; i < len; i++) {
            char x = c[i];
            int info = x < 128 ? INFO[x] : 0;
            if ((info & LEET) != 0 && readsAsLetter(c, i, len)) {
                c[i] = LEET_LETTER[x];
                info = LETTER;
            }
            // c[i] is final now (this pass writes c[i] only at step i), so the pair test sees deleeted text
            h = h << 2 | (info & (LETTER | SEP));
            if ((h & PAIR_MASK) == PAIR) {
                int first = i - 3;
                // the rest of the text only needs its leetspeak read
                for (i++; i < len; i++) {
                    char y = c[i];
                    if (y < 128 && (INFO[y] & LEET) != 0 && readsAsLetter(c, i, len)) {
                        c[i] = LEET_LETTER[y];
                    }
                }
                return first;
            }
        }
        return ((h << 2) & PAIR_MASK) == PAIR ? len - 3 : len;
    }

    /** Whether the leetspeak char at {@code i} stands for a letter, given its neighbours (the earlier ones deleeted). */
    private static boolean readsAsLetter(char[] c, int i, int len) {
        boolean prevLetter = i > 0 && isLetter(c[i - 1]);
        boolean nextLetter = i + 1 < len && (isLetter(c[i + 1]) || (leet(c[i + 1]) != 0 && i + 2 < len && isLetter(c[i + 2])));
        return (prevLetter && nextLetter) || (prevLetter && i + 1 < len && leet(c[i + 1]) != 0 && i > 1 && isLetter(c[i - 2]))
                || (prevLetter && (i + 1 >= len || !isLetterOrDigit(c[i + 1])) && i > 1 && isLetter(c[i - 2]))
                || (nextLetter && (i == 0 || !isLetterOrDigit(c[i - 1])) && i + 2 < len && isLetter(c[i + 2]));
    }

    private static char leet(char x) {
        return x < 128 ? LEET_LETTER[x] : 0;
    }

    /** The letter a leetspeak char reads as ('0' as 'o', '@' as 'a'…), 0 for other ASCII chars. */
    private static final char[] LEET_LETTER = new char[128];

    static {
        String from = "013457@$";
        String to = "oieastas";
        for (int k = 0; k < from.length(); k++) {
            LEET_LETTER[from.charAt(k)] = to.charAt(k);
        }
    }

    /** {@link Character#isLetterOrDigit(char)} without its Unicode table lookup for ASCII. */
    private static boolean isLetterOrDigit(char c) {
        return c < 128 ? (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') : Character.isLetterOrDigit(c);
    }

    private static boolean isLetter(char c) {
        return c >= 'a' && c <= 'z';
    }

    /**
     * Joins runs of at least four single letters separated by one space or punctuation char: "i g n o r e". A run
     * starts with a lone letter, a separator and another lone letter; before {@code first}, the first such pair,
     * the text stays as it is, so most texts are not copied. Where the original had two or more blanks between
     * letters ("i g n o r e   a l l"), the spaced-out text had a word break there, and it stays as one space.
     */
    private static int despace(String s, char[] c, int[] org, int len, int first) {
        if (first == len) {
            return len;
        }
        int w = first;
        int i = first;
        while (i < len) {
            int j = i;
            int letters = 0;
            // a run: L S L S L ... where each L is a lone letter
            while (j < len && isLetter(c[j]) && (j == i ? (i == 0 || !isLetter(c[i - 1])) : true)
                    && (j + 1 >= len || !isLetter(c[j + 1]))) {
                letters++;
                if (j + 2 < len && isSep(c[j + 1]) && isLetter(c[j + 2]) && (j + 3 >= len || !isLetter(c[j + 3]))) {
                    j += 2;
                } else {
                    j++;
                    break;
                }
            }
            if (letters >= 4) {
                for (int k = i; k < j; k++) {
                    if (isLetter(c[k]) || (c[k] == ' ' && wideGap(s, org[k], org[k + 1]))) {
                        c[w] = c[k];
                        org[w++] = org[k];
                    }
                }
                i = j;
            } else {
                c[w] = c[i];
                org[w++] = org[i];
                i++;
            }
        }
        return w;
    }

    /** Whether the original chars {@code [from, to)} behind one collapsed space hold two or more blanks. */
    private static boolean wideGap(String s, int from, int to) {
        int blanks = 0;
        for (int i = from; i < to && blanks < 2; i++) {
            if (Character.isWhitespace(s.charAt(i)) || Character.isSpaceChar(s.charAt(i))) {
                blanks++;
            }
        }
        return blanks >= 2;
    }

    /**
     * A lone-letter pair starts at i when c[i] and c[i + 2] are letters with no letter just before or after them
     * and c[i + 1] is a separator. deleet looks for the first one without a branch per char: h keeps two class
     * bits (LETTER, SEP) for each char, the newest lowest, so at step j its low ten bits hold c[j-4..j]. A pair
     * starts at j - 3 when c[j-4] is no letter, c[j-3] a letter, c[j-2] a separator (so no letter), c[j-1] a
     * letter and c[j] no letter; chars before the text and the one past its end count as no letter. PAIR_MASK
     * selects the bits of that five-char window the test looks at.
     */
    private static final int LETTER = 1;
    private static final int SEP = 2;
    private static final int PAIR = LETTER << 6 | SEP << 4 | LETTER << 2;
    private static final int PAIR_MASK = LETTER << 8 | (LETTER | SEP) << 6 | (LETTER | SEP) << 4 | LETTER << 2 | LETTER;

    /** Set in {@link #INFO} for a leetspeak char. */
    private static final int LEET = 4;
    /** Per ASCII char: {@link #LETTER} for {@link #isLetter}, {@link #SEP} for {@link #isSep}, {@link #LEET}. */
    private static final byte[] INFO = new byte[128];

    static {
        for (char c = 0; c < 128; c++) {
            INFO[c] = (byte) ((isLetter(c) ? LETTER : isSep(c) ? SEP : 0) | (LEET_LETTER[c] != 0 ? LEET : 0));
        }
    }

    private static boolean isSep(char c) {
        return c == ' ' || c == '.' || c == '-' || c == '_' || c == '*' || c == '|' || c == '/';
    }

    private static Map<Character, Character> homoglyphs() {
        String from = "аеорсухіјѕԁɡһӏкмнтвгԛԝαβεικνορτυχϲϳ";
        String to = "aeopcyxijsdghlkmhtbrqwabeikvoptuxcj";
        java.util.HashMap<Character, Character> m = new java.util.HashMap<>();
        for (int i = 0; i < from.length(); i++) {
            m.put(from.charAt(i), to.charAt(i));
        }
        return m;
    }
}
