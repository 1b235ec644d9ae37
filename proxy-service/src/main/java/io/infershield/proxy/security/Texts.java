package io.infershield.proxy.security;

/** Small char-level helpers shared by the detectors. */
final class Texts {

    private Texts() {
    }

    /** Shannon entropy in bits per char of {@code s[from, to)}. */
    static double entropy(CharSequence s, int from, int to) {
        int n = to - from;
        if (n <= 0) {
            return 0;
        }
        int[] counts = new int[128];
        int other = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < 128) {
                counts[c]++;
            } else {
                other++;
            }
        }
        double h = 0;
        for (int c : counts) {
            if (c > 0) {
                double p = (double) c / n;
                h -= p * Math.log(p);
            }
        }
        if (other > 0) {
            double p = (double) other / n;
            h -= p * Math.log(p);
        }
        return h / Math.log(2);
    }

    static boolean isWordChar(char c) {
        return c < 128 && (Character.isLetterOrDigit(c) || c == '_');
    }

    static boolean isTokenChar(char c) {
        return isWordChar(c) || c == '-';
    }

    /**
     * True for documentation placeholders rather than credentials: runs of x/X/*, template and variable
     * references, angle-bracket hints, well-known sample markers. gitleaks and detect-secrets both
     * allow-list these, and they are the bulk of harmless look-alikes in pasted docs.
     */
    static boolean isPlaceholder(CharSequence s, int from, int to) {
        int xRun = 0;
        int starRun = 0;
        int sameRun = 0;
        char prev = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            xRun = (c == 'x' || c == 'X') ? xRun + 1 : 0;
            starRun = (c == '*' || c == '#' || c == '.') ? starRun + 1 : 0;
            sameRun = c == prev ? sameRun + 1 : 1;
            prev = c;
            if (xRun >= 5 || starRun >= 4) {
                return true;
            }
            if (c == '<' || c == '>' || c == '{' || c == '}' || c == '`' || (c == '$' && variable(s, i, from))
                    || (c == '%' && format(s, i, to))) {
                return true;
            }
        }
        String v = s.subSequence(from, to).toString().toLowerCase(java.util.Locale.ROOT);
        return v.contains("example") || v.contains("your_") || v.contains("your-") || v.contains("_here")
                || v.contains("dummy") || v.contains("placeholder") || v.contains("redacted")
                || v.contains("changeme");
    }

    /**
     * A {@code $} that opens a variable: {@code $NAME}, {@code ${…}}, {@code $(…)} at the start of the value or after
     * a char that is not a letter or digit. Inside random text ({@code wa1XKd7S$71}, a Django key's {@code @$!}) it
     * is one more char of the secret.
     */
    private static boolean variable(CharSequence s, int i, int from) {
        char next = i + 1 < s.length() ? s.charAt(i + 1) : 0;
        boolean opens = next == '{' || next == '(' || next == '_' || (next >= 'A' && next <= 'Z') || (next >= 'a' && next <= 'z');
        return opens && (i == from || !Character.isLetterOrDigit(s.charAt(i - 1)));
    }

    /**
     * A {@code %} of a format or a Windows variable: {@code %s}, {@code %d}, {@code %(name)s}, {@code %{x}},
     * {@code %NAME%}. A URL escape ({@code %60}, {@code %2B}) and a {@code %} among random chars are not.
     */
    private static boolean format(CharSequence s, int i, int to) {
        char next = i + 1 < to ? s.charAt(i + 1) : 0;
        if (next == '(' || next == '{') {
            return true;
        }
        if ("sdfvxXqiu".indexOf(next) >= 0) {
            char then = i + 2 < to ? s.charAt(i + 2) : 0;
            if (!Character.isLetterOrDigit(then)) {
                return true;
            }
        }
        int k = i + 1;
        while (k < to && (Character.isLetter(s.charAt(k)) || s.charAt(k) == '_')) {
            k++;
        }
        return k > i + 1 && k < to && s.charAt(k) == '%';
    }

    static boolean hasDigit(CharSequence s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                return true;
            }
        }
        return false;
    }

    static boolean hasLetter(CharSequence s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (Character.isLetter(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    static boolean hasUpperAndLower(CharSequence s, int from, int to) {
        boolean up = false;
        boolean low = false;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            up |= c >= 'A' && c <= 'Z';
            low |= c >= 'a' && c <= 'z';
        }
        return up && low;
    }
}
