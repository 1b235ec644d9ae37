package io.infershield.proxy.security;

import java.text.Normalizer;
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
    /** Original index of each normalised char; only the first {@code length} entries are used. */
    private final int[] origin;
    private final int length;
    private final int originalLength;

    private NormalizedText(String text, char[] chars, int[] origin, int length, int originalLength) {
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

    public static NormalizedText of(String s) {
        int n = s.length();
        char[] out = new char[n + 16];
        int[] org = new int[n + 16];
        int len = 0;
        boolean lastSpace = true;
        for (int i = 0; i < n; ) {
            char ch = s.charAt(i);
            if (ch < 128) {
                // table-driven ASCII: no allocation, the common case for IDE traffic
                char c = ASCII[ch];
                i++;
                if (c == ' ') {
                    if (lastSpace) {
                        continue;
                    }
                    lastSpace = true;
                } else {
                    lastSpace = false;
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
                    if (lastSpace) {
                        continue;
                    }
                    c = ' ';
                }
                lastSpace = space;
                if (len + 1 >= out.length) {
                    out = java.util.Arrays.copyOf(out, out.length * 2);
                    org = java.util.Arrays.copyOf(org, org.length * 2);
                }
                out[len] = c;
                org[len++] = i;
            }
            i += width;
        }
        len = deleet(out, len);
        len = despace(out, org, len);
        return new NormalizedText(new String(out, 0, len), out, org, len, n);
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

    /** Leetspeak inside words: a digit or symbol between letters, or glued to letters, reads as a letter. */
    private static int deleet(char[] c, int len) {
        for (int i = 0; i < len; i++) {
            char x = c[i];
            char m = leet(x);
            if (m == 0) {
                continue;
            }
            boolean prevLetter = i > 0 && isLetter(c[i - 1]);
            boolean nextLetter = i + 1 < len && (isLetter(c[i + 1]) || (leet(c[i + 1]) != 0 && i + 2 < len && isLetter(c[i + 2])));
            boolean wordEnd = i + 1 >= len || !Character.isLetterOrDigit(c[i + 1]);
            if ((prevLetter && nextLetter) || (prevLetter && i + 1 < len && leet(c[i + 1]) != 0 && i > 1 && isLetter(c[i - 2]))
                    || (prevLetter && wordEnd && i > 1 && isLetter(c[i - 2]))
                    || (nextLetter && (i == 0 || !Character.isLetterOrDigit(c[i - 1])) && i + 2 < len && isLetter(c[i + 2]))) {
                c[i] = m;
            }
        }
        return len;
    }

    private static char leet(char x) {
        switch (x) {
            case '0': return 'o';
            case '1': return 'i';
            case '3': return 'e';
            case '4': return 'a';
            case '5': return 's';
            case '7': return 't';
            case '@': return 'a';
            case '$': return 's';
            default: return 0;
        }
    }

    private static boolean isLetter(char c) {
        return c >= 'a' && c <= 'z';
    }

    /** Joins runs of at least four single letters separated by one space or punctuation char: "i g n o r e". */
    private static int despace(char[] c, int[] org, int len) {
        // a run starts with a lone letter, a separator and another lone letter; before the first such pair the
        // text stays as it is, so most texts are only scanned, not copied
        int first = 0;
        while (first + 2 < len && !(isLetter(c[first]) && !isLetter(c[first + 1]) && isLetter(c[first + 2]) && isSep(c[first + 1])
                && (first == 0 || !isLetter(c[first - 1])) && (first + 3 >= len || !isLetter(c[first + 3])))) {
            first++;
        }
        if (first + 2 >= len) {
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
                    if (isLetter(c[k])) {
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
