package io.infershield.proxy.security;

import java.text.Normalizer;
import java.util.Arrays;
import java.util.Map;

/**
 * The text as the injection detectors see it, defeating common obfuscation: NFKD compatibility folding,
 * zero-width and other format chars removed, homoglyphs (Cyrillic, Greek, fullwidth) folded to Latin, accents
 * stripped, lower case, whitespace runs collapsed, leetspeak digits read as letters inside words, and
 * letter-by-letter spacing ("i g n o r e") joined. {@link #originalStart}/{@link #originalEnd} map every
 * normalised offset back to the original text.
 */
public final class NormalizedText {

    private static final Map<Character, Character> HOMOGLYPHS = homoglyphs();

    private final String text;
    private final char[] chars;
    private final int originalLength;
    /** Maps an index of the folded text (before letter-spacing is joined) to the original text. */
    private final Offsets folded;
    /** The folded index of each normalised char; null when no letter-spacing was joined (the identity). */
    private final int[] joined;

    private NormalizedText(String text, char[] chars, int originalLength, Offsets folded, int[] joined) {
        this.text = text;
        this.chars = chars;
        this.originalLength = originalLength;
        this.folded = folded;
        this.joined = joined;
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
        return i < text.length() ? origin(i) : originalLength;
    }

    /** Original end index (exclusive) of a normalised span ending at {@code end} (exclusive). */
    public int originalEnd(int end) {
        if (end <= 0) {
            return 0;
        }
        int length = text.length();
        int last = origin(Math.min(end, length) - 1);
        // the original char may be a surrogate pair or a decomposed sequence; extend to the next mapped char
        int next = end < length ? origin(end) : originalLength;
        return Math.max(last + 1, Math.min(next, last + 2));
    }

    private int origin(int i) {
        return folded.map(joined == null ? i : joined[i]);
    }

    public static NormalizedText of(String s) {
        Normalization n = new Normalization(s);
        n.foldAndDeleet();
        n.despace();
        return new NormalizedText(new String(n.out, 0, n.len), n.out, s.length(), n.offsets, n.joined);
    }

    /**
     * The normalisation of one text. Folding and deleeting run in one pass over its ASCII runs, the common case
     * for IDE traffic: deleet reads two chars ahead, so it runs two chars behind the fold. Other chars are folded
     * one code point at a time, and deleet catches up before the next ASCII run. Then {@link #despace} joins
     * letter-spacing.
     */
    private static final class Normalization {
        private final String s;
        private char[] out;
        /** Chars folded into {@code out}. */
        private int len;
        /** Maps an index of {@code out} as folded to the original text. */
        private final Offsets offsets = new Offsets();
        /** The folded index of each char of {@code out} once {@link #despace} joined letter-spacing, else null. */
        private int[] joined;
        /** {@code out[0, deleeted)} is deleeted. */
        private int deleeted;
        /** Where the first lone-letter pair starts, -1 while none was found. */
        private int firstPair = -1;
        /**
         * ASCII runs are read from here, {@code chunk[k]} being the text's char {@code chunkStart + k} up to
         * {@code chunkEnd}: {@link String#charAt} in a loop costs a check of the String's coder per char.
         */
        private final char[] chunk;
        private int chunkStart;
        private int chunkEnd;
        /**
         * Within an ASCII run: the {@link #classesBefore class bits} of the chars folded so far, the last two not
         * yet deleeted.
         */
        private int classes;

        Normalization(String s) {
            this.s = s;
            this.out = new char[s.length() + 16];
            this.chunk = new char[Math.min(s.length(), 4096)];
        }

        /** Folds the text into {@code out} and deleets it, noting the first lone-letter pair. */
        void foldAndDeleet() {
            int n = s.length();
            int i = 0;
            while (i < n) {
                if (s.charAt(i) >= 128 || shortAsciiRun(i)) {
                    i = foldCodePoint(i);
                    continue;
                }
                // an ASCII run: room for all of it, deleet caught up to where it reads ahead, and then its segments
                if (out.length - len < n - i) {
                    grow(len + n - i);
                }
                deleet(len - 2);
                classes = classesBefore(len);
                while (i < n && s.charAt(i) < 128) {
                    if (i >= chunkEnd) {
                        chunkStart = i;
                        chunkEnd = Math.min(n, i + chunk.length);
                        s.getChars(chunkStart, chunkEnd, chunk, 0);
                    }
                    offsets.map(len, i); // the char at i, if kept, is out[len]
                    i = foldSegment(i);
                    if ((classes & LEET >>> 6) != 0) {
                        deleetBehind();
                    }
                }
                deleeted = Math.max(deleeted, len - 2); // the last two wait for what follows
            }
            deleet(len);
        }

        /**
         * Where {@link #despace} starts: the first lone-letter pair (see {@link #PAIR}), or {@code len} when there
         * is none. The char past the end counts as no letter.
         */
        private int firstPair() {
            return firstPair >= 0 ? firstPair : ((classesBefore(len) >>> 3) & PAIR_MASK) == PAIR ? len - 3 : len;
        }

        private void grow(int capacity) {
            out = Arrays.copyOf(out, Math.max(out.length * 2, capacity));
        }

        /**
         * The {@link #CLASSES} bits of {@code out[end - 6, end)}, three per char with the last one highest, as
         * deleet keeps them (see {@link #PAIR}): all its tests look at, even two chars behind the fold.
         */
        private int classesBefore(int end) {
            int h = 0;
            for (int i = Math.max(0, end - 6); i < end; i++) {
                h = h >>> 3 | info(out[i]);
            }
            return h;
        }

        /**
         * Folds and deleets ASCII chars from {@code i} on, all in {@link #chunk}, and returns where it stopped: at
         * a non-ASCII char, the chunk's end, the char after a collapsed whitespace run, or after the char that
         * makes a leetspeak char two behind readable, whose deleet step the caller takes ({@link #deleetBehind}).
         * {@code out} has room for them all. The loop calls nothing and touches no field but on its rare paths, so
         * the JIT keeps its state in registers.
         */
        private int foldSegment(int i) {
            char[] chunk = this.chunk;
            char[] out = this.out;
            int k = i - chunkStart;
            int end = chunkEnd - chunkStart;
            int shift = k - len; // output index p = k - shift
            int classes = this.classes;
            int lastSpace = len == 0 || out[len - 1] == ' ' ? SPACE : 0;
            for (; k < end; k++) {
                char ch = chunk[k];
                if (ch >= 128) {
                    break;
                }
                int e = FOLD[ch];
                if ((e & lastSpace) != 0) {
                    // a space after a space: skip the rest of the run, for the caller to map the char after it
                    int from = k;
                    do {
                        k++;
                    } while (k < end && chunk[k] < 128 && (FOLD[chunk[k]] & SPACE) != 0);
                    shift += k - from;
                    break;
                }
                int p = k - shift;
                out[p] = (char) e;
                lastSpace = e & SPACE;
                classes = classes >>> 3 | (e & CLASSES);
                // deleet's step for out[p - 2], whose class bits are 6 below p's, now that the two chars it reads
                // ahead are known: a leetspeak char is left to the caller, any other only ends a pair or not
                if ((classes & LEET >>> 6) != 0) {
                    k++;
                    break;
                }
                if ((classes & PAIR_MASK >>> 6) == PAIR >>> 6 && firstPair < 0) {
                    firstPair = p - 5;
                }
            }
            this.len = k - shift;
            this.classes = classes;
            return chunkStart + k;
        }

        /** The deleet step of {@link #foldSegment} for a leetspeak char two chars behind the fold. */
        private void deleetBehind() {
            int q = len - 3;
            classes ^= LEET >>> 6;
            if (readsAsLetter(out, q, len)) {
                out[q] = LEET_LETTER[out[q]];
                classes |= LETTER >>> 6;
            }
            if ((classes & PAIR_MASK >>> 6) == PAIR >>> 6 && firstPair < 0) {
                firstPair = q - 3;
            }
        }

        /** How short an ASCII run {@link #shortAsciiRun} folds one char at a time. */
        private static final int SHORT_RUN = 8;

        /**
         * Whether the ASCII run at {@code i} ends within {@link #SHORT_RUN} chars at a non-ASCII char: then setting
         * up {@link #foldSegment} costs more than it saves (the spaces between words of Cyrillic text), and its
         * chars are folded one at a time, like the others.
         */
        private boolean shortAsciiRun(int i) {
            for (int k = i + 1; k < Math.min(s.length(), i + SHORT_RUN); k++) {
                if (s.charAt(k) >= 128) {
                    return true;
                }
            }
            return false;
        }

        /** Folds the code point at {@code i}; returns the index after it. */
        private int foldCodePoint(int i) {
            int cp = s.codePointAt(i);
            String folded = fold(cp);
            if (out.length - len < folded.length()) {
                grow(len + folded.length());
            }
            for (int k = 0; k < folded.length(); k++) {
                char c = folded.charAt(k);
                if (c == ' ' && (len == 0 || out[len - 1] == ' ')) {
                    continue;
                }
                out[len] = c;
                offsets.map(len++, i);
            }
            return i + Character.charCount(cp);
        }

        /**
         * Leetspeak inside words: a digit or symbol between letters, or glued to letters, reads as a letter.
         * Deleets {@code out} up to {@code limit}, which is {@code len} at the end of the text and else leaves the
         * two chars deleet reads ahead. The same pass looks for the first lone-letter pair.
         */
        private void deleet(int limit) {
            char[] c = out;
            int h = classesBefore(deleeted);
            for (int i = deleeted; i < limit; i++) {
                char x = c[i];
                int info = info(x);
                if ((info & LEET) != 0 && readsAsLetter(c, i, len)) {
                    c[i] = LEET_LETTER[x];
                    info = LETTER;
                }
                h = h >>> 3 | info;
                if ((h & PAIR_MASK) == PAIR && firstPair < 0) {
                    firstPair = i - 3;
                }
            }
            deleeted = Math.max(deleeted, limit);
        }

        /**
         * Joins runs of at least four single letters separated by one space or punctuation char: "i g n o r e". A
         * run starts with a lone letter, a separator and another lone letter; before the first such pair the text
         * stays as it is, so most texts are not copied. Where the original had two or more blanks between letters
         * ("i g n o r e   a l l"), the spaced-out text had a word break there, and it stays as one space.
         */
        void despace() {
            int len = this.len;
            int first = firstPair();
            if (first == len) {
                return;
            }
            char[] c = out;
            int[] joined = null;
            Offsets.Walk origin = offsets.walk();
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
                    if (joined == null) {
                        // a run drops about every other char, so an array is about as small as a compact map
                        joined = new int[len];
                        for (int k = 0; k < w; k++) {
                            joined[k] = k;
                        }
                    }
                    for (int k = i; k < j; k++) {
                        if (isLetter(c[k]) || (c[k] == ' ' && wideGap(s, origin.map(k), origin.map(k + 1)))) {
                            c[w] = c[k];
                            joined[w++] = k;
                        }
                    }
                    i = j;
                } else {
                    c[w] = c[i];
                    if (joined != null) {
                        joined[w] = i;
                    }
                    w++;
                    i++;
                }
            }
            this.len = w;
            this.joined = joined;
        }
    }

    /** The {@link #INFO} bits of a folded char. */
    private static int info(char c) {
        return c < 128 ? INFO[c] : 0;
    }

    /** Folded BMP chars, filled on first use (racy but idempotent: Strings are immutable). */
    private static final String[] BMP = new String[65536];

    /** A code point folded: NFKD, format chars dropped, marks stripped, lower case, homoglyphs, blanks as spaces. */
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
            c = h != null ? h : c;
            b.append(Character.isWhitespace(c) || Character.isSpaceChar(c) ? ' ' : c);
        }
        return b.toString();
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

    /** Whether the original chars {@code [from, to)} behind one collapsed space hold two or more blanks. */
    private static boolean wideGap(String s, int from, int to) {
        if (to - from < 2) {
            return false; // the space itself, alone: the common case in letter-spaced text
        }
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
     * and c[i + 1] is a separator. deleet looks for the first one with one test per char: it keeps three class
     * bits (SEP, LETTER, LEET) for each char in an int, the newest highest, shifting the older ones down as it
     * goes. At step j the top fifteen bits hold c[j-4..j]; a pair starts at j - 3 when c[j-4] is no letter, c[j-3]
     * a letter, c[j-2] a separator (so no letter), c[j-1] a letter and c[j] no letter; chars before the text and
     * the one past its end count as no letter. PAIR_MASK selects the bits of that five-char window the test looks
     * at. The fold's pass keeps the bits of two more chars, so its window (and its LEET bit) sits 6 bits lower.
     */
    private static final int SEP = 1 << 31;
    private static final int LETTER = 1 << 30;
    /** A leetspeak char. */
    private static final int LEET = 1 << 29;
    private static final int CLASSES = SEP | LETTER | LEET;
    private static final int PAIR = LETTER >>> 3 | SEP >>> 6 | LETTER >>> 9;
    private static final int PAIR_MASK = LETTER | LETTER >>> 3 | (LETTER | SEP) >>> 6 | (LETTER | SEP) >>> 9 | LETTER >>> 12;
    /** Set in {@link #FOLD} for a char that folds to a space. */
    private static final int SPACE = 1 << 16;
    /** Per ASCII char: {@link #LETTER} for {@link #isLetter}, {@link #SEP} for {@link #isSep}, {@link #LEET}. */
    private static final int[] INFO = new int[128];
    /**
     * Per ASCII char: the char it folds to (lower case, every whitespace char a space) in the low 16 bits, with
     * that char's {@link #INFO} and {@link #SPACE}: one lookup for all the fold and deleet need.
     */
    private static final int[] FOLD = new int[128];

    static {
        for (char c = 0; c < 128; c++) {
            INFO[c] = (isLetter(c) ? LETTER : isSep(c) ? SEP : 0) | (LEET_LETTER[c] != 0 ? LEET : 0);
        }
        for (char c = 0; c < 128; c++) {
            char f = Character.isWhitespace(c) || Character.isSpaceChar(c) ? ' ' : c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
            FOLD[c] = f | INFO[f] | (f == ' ' ? SPACE : 0);
        }
    }

    private static boolean isSep(char c) {
        return c == ' ' || c == '.' || c == '-' || c == '_' || c == '*' || c == '|' || c == '/';
    }

    /**
     * An offset map kept small: the offsets of two texts move in step except where chars were dropped or added,
     * so it stores only where their difference (the shift) changes. From index {@code at[k]} on, up to
     * {@code at[k + 1]}, index i maps to {@code i + shift[k]}; before {@code at[0]}, to i itself.
     */
    private static final class Offsets {
        private int[] at = new int[8];
        private int[] shift = new int[8];
        private int size;

        /**
         * Maps index {@code i} and those after it to {@code to} and on. {@code i} is at least every index mapped
         * before; mapping the same index again overrides the earlier mapping (lookups take the last entry).
         */
        void map(int i, int to) {
            if (to - i == (size == 0 ? 0 : shift[size - 1])) {
                return;
            }
            if (size == at.length) {
                at = Arrays.copyOf(at, size * 2);
                shift = Arrays.copyOf(shift, size * 2);
            }
            at[size] = i;
            shift[size++] = to - i;
        }

        /** Maps ascending indexes, walking the entries instead of searching them for each. */
        Walk walk() {
            return new Walk();
        }

        final class Walk {
            /** The entries before {@code next} apply to the indexes mapped so far; {@code nextAt} is where it starts. */
            private int next;
            private int nextAt = size > 0 ? at[0] : Integer.MAX_VALUE;
            private int shiftSoFar;

            int map(int i) {
                while (i >= nextAt) {
                    shiftSoFar = shift[next++];
                    nextAt = next < size ? at[next] : Integer.MAX_VALUE;
                }
                return i + shiftSoFar;
            }
        }

        int map(int i) {
            // binary search for the first entry after i
            int lo = 0;
            int hi = size;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (at[mid] <= i) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo == 0 ? i : i + shift[lo - 1];
        }
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
