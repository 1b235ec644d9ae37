package io.infershield.proxy.security;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@link PiiDetector}'s scanners as of commit 82d1a39, before their speed work: a whole-text digit map, and
 * IPv4, IPv6, IBANs and digit groups each in a loop of its own, from digit to digit (or colon to colon). Kept
 * verbatim (only the unchanged helpers are the detector's own) as the reference the equivalence tests compare the
 * detector with: the speed work must not change any finding. Deliberate changes of behaviour since are shared helpers
 * both call ({@code classify}, {@code versionContext}, {@code withoutNumbersInsideIbans}).
 */
final class PiiDetectorReference implements Detector {

    @Override
    public List<Finding> scan(String text, Direction direction) {
        List<Finding> found = new ArrayList<>();
        long[] digits = digitMap(text);
        PiiDetector.emails(text, found);
        ipv4(text, digits, found);
        ipv6(text, found);
        ibans(text, digits, found);
        numbers(text, digits, found);
        found.sort(Comparator.comparingInt(Finding::start));
        return PiiDetector.withoutNumbersInsideIbans(found);
    }

    // ---- where the digits are: one pass, so the digit-anchored scanners jump from one digit to the next ----

    /** Reads 8 bytes of a {@code byte[]} as one little-endian long: byte k is bits 8k..8k+7. */
    private static final VarHandle EIGHT = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;

    /** Bit {@code i} is set when {@code t.charAt(i)} is an ASCII digit. */
    static long[] digitMap(String t) {
        int n = t.length();
        long[] bits = new long[(n >> 6) + 1];
        // one byte per char: a char outside Latin-1 becomes '?', which is no digit either; the encoder turns a
        // surrogate pair into a single '?', so then the bytes are made char by char to keep the indices
        byte[] b = t.getBytes(StandardCharsets.ISO_8859_1);
        if (b.length != n) {
            b = new byte[n];
            for (int i = 0; i < n; i++) {
                char c = t.charAt(i);
                b[i] = c < 128 ? (byte) c : (byte) '?';
            }
        }
        int full = n & ~63;
        for (int base = 0; base < full; base += 64) {
            // one word per 64 chars, built in a register, eight chars per step (SWAR): x holds 8 chars xor '0',
            // so a digit is a byte below 10. Adding 0x76 to a byte's low 7 bits sets its bit 7 exactly when they
            // are 10 or more, and never carries into the next byte; a byte is a digit when neither that bit nor
            // its own bit 7 is set. The multiply gathers the eight bit-7 flags into the top byte, char k at bit k.
            long word = 0;
            for (int k = 0; k < 64; k += 8) {
                long x = (long) EIGHT.get(b, base + k) ^ 0x30 * ONES;
                long digit = ~(((x & 0x7F * ONES) + 0x76 * ONES) | x) & 0x80 * ONES;
                word |= ((digit >>> 7) * 0x0102040810204080L) >>> 56 << k;
            }
            bits[base >> 6] = word;
        }
        for (int i = full; i < n; i++) {
            if (b[i] >= '0' && b[i] <= '9') {
                bits[i >> 6] |= 1L << i;
            }
        }
        return bits;
    }

    /** The first digit at or after {@code from}, or {@code n} when there is none. */
    private static int nextDigit(long[] bits, int from, int n) {
        if (from >= n) {
            return n;
        }
        int w = from >> 6;
        long word = bits[w] & (-1L << from);
        while (word == 0) {
            if (++w >= bits.length) {
                return n;
            }
            word = bits[w];
        }
        return Math.min(n, (w << 6) + Long.numberOfTrailingZeros(word));
    }

    // ---- IP addresses ----

    private static void ipv4(String t, long[] digitMap, List<Finding> out) {
        int n = t.length();
        int i = 0;
        while (i < n) {
            // every address starts with a digit
            i = nextDigit(digitMap, i, n);
            if (i >= n) {
                break;
            }
            char c = t.charAt(i);
            if (!isDigit(c) || (i > 0 && (isDigit(t.charAt(i - 1)) || t.charAt(i - 1) == '.' || Character.isLetter(t.charAt(i - 1))))) {
                i++;
                continue;
            }
            int p = i;
            int octets = 0;
            boolean ok = true;
            while (octets < 4) {
                int q = p;
                while (q < n && q - p < 4 && isDigit(t.charAt(q))) {
                    q++;
                }
                int len = q - p;
                if (len == 0 || len > 3 || (len > 1 && t.charAt(p) == '0') || Integer.parseInt(t, p, q, 10) > 255) {
                    ok = false;
                    break;
                }
                octets++;
                p = q;
                if (octets < 4) {
                    if (p < n && t.charAt(p) == '.') {
                        p++;
                    } else {
                        ok = false;
                        break;
                    }
                }
            }
            if (ok && (p >= n || !(isDigit(t.charAt(p)) || Character.isLetter(t.charAt(p))
                    || (t.charAt(p) == '.' && p + 1 < n && isDigit(t.charAt(p + 1))))) && !PiiDetector.versionContext(t, i)) {
                out.add(new Finding(Category.PII, "ip_address", i, p, 80, "validator:ipv4"));
                i = p;
            } else {
                while (i < n && (isDigit(t.charAt(i)) || t.charAt(i) == '.')) {
                    i++;
                }
            }
        }
    }

    /** Anchored on colons (every IPv6 text form has two or more), so words of hex letters cost nothing. */
    private static void ipv6(String t, List<Finding> out) {
        int n = t.length();
        int done = 0;
        for (int colon = t.indexOf(':'); colon >= 0; colon = t.indexOf(':', Math.max(colon + 1, done))) {
            int s = colon;
            while (s > done && colon - s < 45 && isIpv6Char(t.charAt(s - 1))) {
                s--;
            }
            int e = colon;
            int colons = 0;
            while (e < n && e - s < 45 && isIpv6Char(t.charAt(e))) {
                colons += t.charAt(e) == ':' ? 1 : 0;
                e++;
            }
            done = e;
            boolean whole = (s == 0 || !isIpv6Char(t.charAt(s - 1))) && (e >= n || !Character.isLetterOrDigit(t.charAt(e)));
            if (whole && colons >= 2 && PiiDetector.validIpv6(t.substring(s, e))) {
                out.add(new Finding(Category.PII, "ip_address", s, e, 80, "validator:ipv6"));
            }
        }
    }

    private static boolean isIpv6Char(char c) {
        return isHex(c) || c == ':';
    }

    // ---- IBAN ----

    private static void ibans(String t, long[] digitMap, List<Finding> out) {
        int n = t.length();
        for (int i = 0; i + 15 <= n; i++) {
            // the check digits are the third and fourth chars
            i = Math.max(i, nextDigit(digitMap, i + 2, n) - 2);
            if (i + 15 > n) {
                break;
            }
            if (!(isDigit(t.charAt(i + 2)) && isAsciiLetter(t.charAt(i)) && isAsciiLetter(t.charAt(i + 1))
                    && isDigit(t.charAt(i + 3)))
                    || (i > 0 && Character.isLetterOrDigit(t.charAt(i - 1)))) {
                continue;
            }
            StringBuilder b = new StringBuilder(34);
            int e = i;
            int p = i;
            while (p < n && b.length() < 34) {
                char c = t.charAt(p);
                if (c < 128 && Character.isLetterOrDigit(c)) {
                    b.append(Character.toUpperCase(c));
                    p++;
                    e = p;
                } else if (c == ' ' && p + 1 < n && Character.isLetterOrDigit(t.charAt(p + 1)) && b.length() % 4 == 0) {
                    p++;
                } else {
                    break;
                }
            }
            if (e < n && Character.isLetterOrDigit(t.charAt(e))) {
                continue;
            }
            if (b.length() >= 15 && PiiDetector.ibanChecksumOk(b)) {
                out.add(new Finding(Category.PII, "iban", i, e, 95, "validator:iban-mod97"));
                i = e;
            }
        }
    }

    // ---- digit groups: cards, SSNs, phones ----

    private static void numbers(String t, long[] digitMap, List<Finding> out) {
        int n = t.length();
        int i = 0;
        while (i < n) {
            // a run starts at a digit or at the + or ( just before one
            i = Math.max(i, nextDigit(digitMap, i, n) - 1);
            if (i >= n) {
                break;
            }
            char c = t.charAt(i);
            boolean startOk = isDigit(c) || ((c == '+' || c == '(') && i + 1 < n && isDigit(t.charAt(i + 1)));
            if (!startOk || (i > 0 && (Character.isLetterOrDigit(t.charAt(i - 1)) || t.charAt(i - 1) == '.'
                    || t.charAt(i - 1) == '-' || t.charAt(i - 1) == '+' || t.charAt(i - 1) == '/'))) {
                i++;
                continue;
            }
            // one run: digits with single separators ( space - . ) and parentheses
            int p = i;
            int digits = 0;
            int groups = 0;
            int lastDigitEnd = i;
            boolean inGroup = false;
            int sep = 0;
            while (p < n && p - i < 32) {
                char d = t.charAt(p);
                if (isDigit(d)) {
                    digits++;
                    if (!inGroup) {
                        groups++;
                        inGroup = true;
                    }
                    p++;
                    lastDigitEnd = p;
                } else if ((d == ' ' || d == '-' || d == '.' || d == '(' || d == ')' || d == '+')
                        && p + 1 < n && p - lastDigitEnd < 2
                        && (isDigit(t.charAt(p + 1)) || t.charAt(p + 1) == '('
                            || (d == ')' && t.charAt(p + 1) == ' ' && p + 2 < n && isDigit(t.charAt(p + 2))))) {
                    sep |= d == '-' ? PiiDetector.SEP_DASH : d == '.' ? PiiDetector.SEP_DOT : d == ' ' ? PiiDetector.SEP_SPACE : 0;
                    inGroup = false;
                    p++;
                } else {
                    break;
                }
            }
            int e = lastDigitEnd;
            // a phone extension: x123
            int ext = e;
            if (ext + 1 < n && (t.charAt(ext) == 'x' || t.charAt(ext) == 'X') && isDigit(t.charAt(ext + 1))) {
                ext++;
                while (ext < n && isDigit(t.charAt(ext))) {
                    ext++;
                }
            }
            if ((e < n && Character.isLetter(t.charAt(e)) && ext == e)
                    || (ext < n && (Character.isLetterOrDigit(t.charAt(ext)) || t.charAt(ext) == '@'))
                    || (ext + 1 < n && t.charAt(ext) == ':' && isDigit(t.charAt(ext + 1)))) {
                i = Math.max(ext, i + 1);
                continue;
            }
            // fewer than 6 digits is no phone, card or SSN: most numbers in code and prose stop here
            if (digits >= 6) {
                PiiDetector.classify(t, i, e, ext, digits, groups, sep, out);
            }
            i = Math.max(ext, i + 1);
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isHex(char c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
