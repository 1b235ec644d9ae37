package io.infershield.proxy.security;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Structured personal data by hand-written, single-pass scanners with validators (so no regex can backtrack):
 * e-mail addresses, phone numbers, payment card numbers (Luhn), IBANs (ISO 13616 mod 97), US SSNs (SSA
 * allocation rules) and IPv4/IPv6 addresses.
 */
public final class PiiDetector implements Detector {

    @Override
    public List<Finding> scan(String text, Direction direction) {
        List<Finding> ipv4s = new ArrayList<>();
        List<Finding> ibans = new ArrayList<>();
        List<Finding> groups = new ArrayList<>();
        digitRuns(text, ipv4s, ibans, groups);
        // the scanners' findings in this order, then by start: the sort is stable, so ties keep it
        List<Finding> found = new ArrayList<>();
        emails(text, found);
        found.addAll(ipv4s);
        ipv6(text, found);
        found.addAll(ibans);
        found.addAll(groups);
        found.sort(Comparator.comparingInt(Finding::start));
        return withoutNumbersInsideIbans(found);
    }

    /**
     * The findings without the card numbers and phones that lie inside an IBAN: the digits after an IBAN's country
     * code may pass Luhn or look like a phone by chance, and the mod-97 check is the stronger evidence.
     */
    static List<Finding> withoutNumbersInsideIbans(List<Finding> found) {
        List<Finding> ibans = null;
        for (Finding f : found) {
            if (f.type().equals("iban")) {
                (ibans == null ? ibans = new ArrayList<>() : ibans).add(f);
            }
        }
        if (ibans == null) {
            return found;
        }
        List<Finding> out = new ArrayList<>(found.size());
        for (Finding f : found) {
            boolean inside = false;
            if (f.type().equals("credit_card") || f.type().equals("phone")) {
                for (Finding iban : ibans) {
                    inside |= f.start() >= iban.start() && f.end() <= iban.end();
                }
            }
            if (!inside) {
                out.add(f);
            }
        }
        return out;
    }

    /** Words that make a dotted quad a version ({@code firmware 5.3.8.52}, {@code AssemblyVersion("1.2.3.4")}). */
    private static final String[] VERSION_CONTEXT = {"version", "release", "firmware", "build", "upgrade", "patch",
        "driver", "sdk"};

    /**
     * Whether the dotted quad at {@code i} is named a version by a word before it on its line (within 32 chars), or
     * is glued to a {@code v}. Networks have no versions: where both are near, the version reading wins.
     */
    static boolean versionContext(String t, int i) {
        if (i > 0 && (t.charAt(i - 1) == 'v' || t.charAt(i - 1) == 'V')) {
            return true;
        }
        int from = i;
        while (from > 0 && i - from < 32 && t.charAt(from - 1) != '\n') {
            from--;
        }
        return cueIn(t, from, i, VERSION_CONTEXT);
    }

    // ---- where the digits are: one pass, so the digit-anchored scanners jump from one digit run to the next ----

    /** Reads 8 bytes of a {@code byte[]} as one little-endian long: byte k is bits 8k..8k+7. */
    private static final VarHandle EIGHT = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;

    /** Chars per block of the digit map: a multiple of 64, so a block fills whole words. */
    private static final int BLOCK = 4096;

    /** Bit {@code i} is set when {@code t.charAt(i)} is an ASCII digit. */
    static long[] digitMap(String t) {
        int n = t.length();
        long[] bits = new long[(n >> 6) + 1];
        // a block at a time, copied to bytes that stay in the first-level cache
        char[] chars = new char[Math.min(n, BLOCK)];
        byte[] bytes = new byte[chars.length];
        CharBuffer in = CharBuffer.wrap(chars);
        ByteBuffer out = ByteBuffer.wrap(bytes);
        CharsetEncoder latin1 = StandardCharsets.ISO_8859_1.newEncoder();
        for (int base = 0; base < n; base += BLOCK) {
            int len = Math.min(BLOCK, n - base);
            t.getChars(base, base + len, chars, 0);
            toLatin1(latin1, in.clear().limit(len), out.clear());
            int full = len & ~63;
            for (int b = 0; b < full; b += 64) {
                // one word per 64 chars, built in a register, eight chars per step (SWAR): x holds 8 chars xor
                // '0', so a digit is a byte below 10. Adding 0x76 to a byte's low 7 bits sets its bit 7 exactly
                // when they are 10 or more, and never carries into the next byte; a byte is a digit when neither
                // that bit nor its own bit 7 is set. The multiply gathers the eight bit-7 flags into the top byte,
                // char k at bit k.
                long word = 0;
                for (int k = 0; k < 64; k += 8) {
                    long x = (long) EIGHT.get(bytes, b + k) ^ 0x30 * ONES;
                    long digit = ~(((x & 0x7F * ONES) + 0x76 * ONES) | x) & 0x80 * ONES;
                    word |= ((digit >>> 7) * 0x0102040810204080L) >>> 56 << k;
                }
                bits[(base + b) >> 6] = word;
            }
            for (int i = full; i < len; i++) {
                if (bytes[i] >= '0' && bytes[i] <= '9') {
                    bits[(base + i) >> 6] |= 1L << (base + i);
                }
            }
        }
        return bits;
    }

    /**
     * Encodes {@code in} to Latin-1 in {@code out}, one byte per char: a char outside Latin-1, or either half of a
     * surrogate pair, becomes '?', which is no digit either. The JDK's encoder is vectorised; its errors are
     * handled here, because its own replacement would write one byte for a pair and so shift the indices.
     */
    private static void toLatin1(CharsetEncoder encoder, CharBuffer in, ByteBuffer out) {
        encoder.reset();
        for (CoderResult r = encoder.encode(in, out, true); r.isError(); r = encoder.encode(in, out, true)) {
            for (int k = 0; k < r.length(); k++) {
                out.put((byte) '?');
            }
            in.position(in.position() + r.length());
        }
    }

    /**
     * IPv4 addresses, IBANs and digit groups in one pass over the digit runs: an address starts at a run's first
     * digit, an IBAN's check digits are one, and a group starts at one or at the + or ( just before it. Visiting
     * the runs' first digits in order, each scanner skips those inside what it found or judged last. Most runs
     * are none of these, so each scanner first tests a cheap necessary condition with a single branch that is
     * almost always taken, not several that are hard to predict.
     */
    private static void digitRuns(String t, List<Finding> ipv4s, List<Finding> ibans, List<Finding> groups) {
        long[] digits = digitMap(t);
        int ibanFrom = 2;
        int groupFrom = 0;
        long before = 0; // bit 0: is the char before this word's first char a digit
        for (int w = 0; w < digits.length; w++) {
            long firsts = digits[w] & ~(digits[w] << 1 | before);
            before = digits[w] >>> 63;
            for (; firsts != 0; firsts &= firsts - 1) {
                int run = (w << 6) + Long.numberOfTrailingZeros(firsts);
                ipv4At(t, run, ipv4s);
                if (run >= ibanFrom) {
                    ibanFrom = ibanAt(t, run, ibans);
                }
                if (run >= groupFrom) {
                    groupFrom = groupAt(t, digits, run, groupFrom, groups);
                }
            }
        }
    }

    /** How many digits {@code t[from, from + 32)} holds. */
    private static int digitsIn32(long[] digits, int from) {
        int w = from >> 6;
        int shift = from & 63;
        long window = digits[w] >>> shift;
        if (shift > 32 && w + 1 < digits.length) {
            window |= digits[w + 1] << (64 - shift);
        }
        return Long.bitCount(window & 0xFFFFFFFFL);
    }

    // ---- e-mail (RFC 5321 §4.1.2 dot-atom, simplified to the common character set) ----

    static void emails(String t, List<Finding> out) {
        int n = t.length();
        for (int at = t.indexOf('@'); at >= 0; at = t.indexOf('@', at + 1)) {
            int s = at;
            while (s > 0 && at - s < 64 && isLocal(t.charAt(s - 1))) {
                s--;
            }
            while (s < at && t.charAt(s) == '.') {
                s++;
            }
            int e = at + 1;
            int lastDot = -1;
            while (e < n && e - at < 255 && isDomain(t.charAt(e))) {
                if (t.charAt(e) == '.') {
                    lastDot = e;
                }
                e++;
            }
            while (e > at + 1 && (t.charAt(e - 1) == '.' || t.charAt(e - 1) == '-')) {
                e--;
                if (lastDot >= e) {
                    lastDot = t.lastIndexOf('.', e - 1);
                }
            }
            if (s == at || lastDot <= at + 1 || e - lastDot - 1 < 2) {
                continue;
            }
            boolean tldLetters = true;
            for (int i = lastDot + 1; i < e; i++) {
                tldLetters &= Character.isLetter(t.charAt(i));
            }
            if (tldLetters) {
                out.add(new Finding(Category.PII, "email", s, e, 95, "validator:email"));
            }
        }
    }

    private static boolean isLocal(char c) {
        return c < 128 && (Character.isLetterOrDigit(c) || "._%+-'".indexOf(c) >= 0);
    }

    private static boolean isDomain(char c) {
        return c < 128 && (Character.isLetterOrDigit(c) || c == '.' || c == '-');
    }

    // ---- IP addresses ----

    /**
     * An IPv4 address starting at the digit run at {@code i}. Each run is judged on its own: the runs inside an
     * address found before follow a dot, so they fail the test below.
     */
    private static void ipv4At(String t, int i, List<Finding> out) {
        int n = t.length();
        // the first octet, 1-3 digits, ends in a dot
        boolean dotSoon = (i + 1 < n && t.charAt(i + 1) == '.') | (i + 2 < n && t.charAt(i + 2) == '.')
                | (i + 3 < n && t.charAt(i + 3) == '.');
        if (!dotSoon || (i > 0 && (t.charAt(i - 1) == '.' || Character.isLetter(t.charAt(i - 1))))) {
            return;
        }
        int p = i;
        int octets = 0;
        boolean ok = true;
        while (octets < 4) {
            int q = p;
            int value = 0;
            while (q < n && q - p < 4 && isDigit(t.charAt(q))) {
                value = value * 10 + t.charAt(q) - '0';
                q++;
            }
            int len = q - p;
            if (len == 0 || len > 3 || (len > 1 && t.charAt(p) == '0') || value > 255) {
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
                || (t.charAt(p) == '.' && p + 1 < n && isDigit(t.charAt(p + 1))))) && !versionContext(t, i)) {
            out.add(new Finding(Category.PII, "ip_address", i, p, 80, "validator:ipv4"));
        }
    }

    /** Anchored on colons (every IPv6 text form has two or more), so words of hex letters cost nothing. */
    private static void ipv6(String t, List<Finding> out) {
        int n = t.length();
        int done = 0;
        for (int colon = t.indexOf(':'); colon >= 0; colon = t.indexOf(':', Math.max(colon + 1, done))) {
            if (colon + 1 >= n || !isIpv6Char(t.charAt(colon + 1))) {
                // the run ends at this colon, with one colon in it: no address, nothing after it consumed
                done = colon + 1;
                continue;
            }
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
            if (whole && colons >= 2 && validIpv6(t.substring(s, e))) {
                out.add(new Finding(Category.PII, "ip_address", s, e, 80, "validator:ipv6"));
            }
        }
    }

    private static boolean isIpv6Char(char c) {
        return isHex(c) || c == ':';
    }

    /** RFC 4291 §2.2 text forms without the embedded-IPv4 variant. */
    static boolean validIpv6(String s) {
        int dbl = s.indexOf("::");
        if (dbl >= 0 && s.indexOf("::", dbl + 1) >= 0) {
            return false;
        }
        String[] groups = s.split(":", -1);
        int count = 0;
        for (int g = 0; g < groups.length; g++) {
            String part = groups[g];
            if (part.isEmpty()) {
                boolean edge = (g == 0 || g == groups.length - 1) && dbl >= 0;
                if (!edge && dbl < 0) {
                    return false;
                }
                continue;
            }
            if (part.length() > 4) {
                return false;
            }
            count++;
        }
        boolean hexLetter = false;
        for (int k = 0; k < s.length(); k++) {
            hexLetter |= Character.isLetter(s.charAt(k));
        }
        // an all-digit form like 12:30:45 is a time, not an address
        return dbl >= 0 ? count >= 2 && count <= 7 && (hexLetter || count >= 3) && s.length() > 4 : count == 8;
    }

    // ---- IBAN ----

    /**
     * An IBAN whose check digits (its third and fourth chars, after two letters) start at the digit run at
     * {@code r}. Returns the first run the next IBAN may have its check digits at.
     */
    private static int ibanAt(String t, int r, List<Finding> out) {
        int n = t.length();
        int i = r - 2;
        // 15 chars at least, then the shape (see digitRuns)
        if (r + 13 > n || !(isAsciiLetter(t.charAt(i)) & isAsciiLetter(t.charAt(i + 1)) & isDigit(t.charAt(r + 1)))
                || (i > 0 && Character.isLetterOrDigit(t.charAt(i - 1)))) {
            return r + 1;
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
        if ((e < n && Character.isLetterOrDigit(t.charAt(e))) || b.length() < 15 || !ibanChecksumOk(b)) {
            return r + 1;
        }
        out.add(new Finding(Category.PII, "iban", i, e, 95, "validator:iban-mod97"));
        return e + 3; // the next one starts after this one
    }

    /** ISO 13616 / ISO 7064 mod 97-10: move the first four chars to the end, letters to 10..35, remainder 1. */
    static boolean ibanChecksumOk(CharSequence iban) {
        String s = iban.toString().replace(" ", "").toUpperCase(java.util.Locale.ROOT);
        if (s.length() < 15 || s.length() > 34) {
            return false;
        }
        int rem = 0;
        String r = s.substring(4) + s.substring(0, 4);
        for (int i = 0; i < r.length(); i++) {
            char c = r.charAt(i);
            int v;
            if (c >= '0' && c <= '9') {
                v = c - '0';
                rem = (rem * 10 + v) % 97;
            } else if (c >= 'A' && c <= 'Z') {
                v = c - 'A' + 10;
                rem = (rem * 100 + v) % 97;
            } else {
                return false;
            }
        }
        return rem == 1;
    }

    // ---- digit groups: cards, SSNs, phones ----

    /**
     * A digit group (card, SSN, phone) starting at the digit run at {@code run} or at the + or ( just before it,
     * where the text before {@code from} belongs to the group judged last. Returns the new {@code from}.
     */
    private static int groupAt(String t, long[] digitMap, int run, int from, List<Finding> out) {
        int n = t.length();
        // A group spans at most 32 chars and is judged only with 6 digits or more. With fewer in the 32 chars from
        // the run, neither this group nor any starting inside it is judged: each ends where this one does, with
        // fewer digits. So neither the walk nor the skip it would set is needed.
        if (digitsIn32(digitMap, run) < 6) {
            return from;
        }
        int i;
        if (run > from && mayStartGroup(t, run - 1)) {
            i = run - 1;
        } else if (mayStartGroup(t, run)) {
            i = run;
        } else {
            return from;
        }
        // the group: digits with single separators ( space - . ) and parentheses
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
                sep |= d == '-' ? SEP_DASH : d == '.' ? SEP_DOT : d == ' ' ? SEP_SPACE : 0;
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
        boolean glued = (e < n && Character.isLetter(t.charAt(e)) && ext == e)
                || (ext < n && (Character.isLetterOrDigit(t.charAt(ext)) || t.charAt(ext) == '@'))
                || (ext + 1 < n && t.charAt(ext) == ':' && isDigit(t.charAt(ext + 1)));
        // fewer than 6 digits is no phone, card or SSN: most numbers in code and prose stop here
        if (!glued && digits >= 6) {
            classify(t, i, e, ext, digits, groups, sep, out);
        }
        return Math.max(ext, i + 1);
    }

    /** A digit group may start at {@code i}: a digit, or + or ( before one, not glued to a word or number. */
    private static boolean mayStartGroup(String t, int i) {
        char c = t.charAt(i);
        boolean startOk = isDigit(c) || ((c == '+' || c == '(') && i + 1 < t.length() && isDigit(t.charAt(i + 1)));
        return startOk && !(i > 0 && (Character.isLetterOrDigit(t.charAt(i - 1)) || t.charAt(i - 1) == '.'
                || t.charAt(i - 1) == '-' || t.charAt(i - 1) == '+' || t.charAt(i - 1) == '/'));
    }

    // package-private, like emails and classify, for the equivalence test's reference (PiiDetectorReference)
    static final int SEP_DASH = 1;
    static final int SEP_DOT = 2;
    static final int SEP_SPACE = 4;

    static void classify(String t, int s, int e, int ext, int digits, int groups, int sep,
            List<Finding> out) {
        if (t.charAt(s) == '(' && !areaCode(t, s, e)) {
            // "(339-01-2523)": a parenthesis around the number, not around an area code, is not part of it
            s++;
        }
        String span = t.substring(s, e);
        String ds = digitsOf(t, s, e);
        boolean dotted = (sep & SEP_DOT) != 0;
        // SSN: AAA-GG-SSSS (SSA: area not 000, 666 or 9xx; group not 00; serial not 0000)
        if (digits == 9 && groups == 3 && span.length() == 11 && span.charAt(3) == span.charAt(6)
                && (span.charAt(3) == '-' || (span.charAt(3) == ' ' && context(t, s, e, SSN_CONTEXT)))) {
            if (ssnValid(ds)) {
                out.add(new Finding(Category.PII, "us_ssn", s, e, 90, "validator:ssn-allocation"));
            }
            return;
        }
        if (digits == 9 && groups == 1 && ssnValid(ds) && cueBefore(t, s, SSN_CONTEXT, 20)) {
            // provided_ssn=038241138: nine bare digits are an SSN only where a name or label says so
            out.add(new Finding(Category.PII, "us_ssn", s, e, 70, "validator:ssn-allocation+context"));
            return;
        }
        // grouped card numbers start with a group of four (4-4-4-4, Amex 4-6-5): an ISBN (978-7-218-49607-6) or an
        // order number (938-9850502-8972790) may pass Luhn by chance
        if (digits >= 13 && digits <= 19 && !dotted && ext == e && luhn(ds)
                && (groups == 1 || (groups >= 3 && firstGroupLength(span) == 4))) {
            out.add(new Finding(Category.PII, "credit_card", s, e, 95, "validator:luhn"));
            return;
        }
        if (dotted && groups == 4 && digits <= 12) {
            return; // dotted quads are IPv4 or version numbers
        }
        if (groups >= 5 && !span.startsWith("+") && shortestGroup(span) < 2) {
            // five groups or more with a one-digit group: an OID (1.3.6.1.4.1.42597), an ISBN (978-3-636-75052-4), a
            // version; a phone in five groups has pairs at least (02.27.96.63.08)
            return;
        }
        String shape = shape(span);
        if (isDate(shape) || shape.startsWith("9999-99-99")) {
            return;
        }
        if (groups >= 2 && firstGroupLength(span) > 5) {
            return; // "bytes 37551047896 (79.2 GB)": no phone opens with six digits or more and goes on
        }
        // shapes that are phone numbers on their own: +CC..., (area) ..., or three or more groups joined by - or .
        boolean punctuated = (sep & SEP_DASH) != 0 || (dotted && groups >= 3);
        // one bare run of 10-12 digits is a Unix time, an id or a byte count as often as a phone: it needs a phone word
        boolean strong = span.startsWith("+") || span.startsWith("(") || (punctuated && groups >= 3) || ext > e;
        if (strong && digits >= 7 && digits <= 15) {
            out.add(new Finding(Category.PII, "phone", s, ext, 75, "validator:phone-shape"));
        } else if ((groups >= 2 || (digits >= 10 && digits <= 12)) && digits >= 6 && digits <= 15
                && context(t, s, ext, PHONE_CONTEXT)) {
            // space-separated digit groups are addresses or amounts as often as phones: need a phone word nearby
            out.add(new Finding(Category.PII, "phone", s, ext, 65, "validator:phone-shape+context"));
        }
    }

    private static final String[] PHONE_CONTEXT = {"call", "phone", "tel", "mobile", "cell", "fax", "office", "desk",
        "contact", "reach", "number", "whatsapp", "sms", "dial", "landline"};
    private static final String[] SSN_CONTEXT = {"ssn", "social security", "social-security"};

    /** Whether {@code t[s, e)} opens with an area code in parentheses: {@code (415) 555-0132}. */
    private static boolean areaCode(String t, int s, int e) {
        int close = t.indexOf(')', s);
        return close > s + 1 && close < e && close - s <= 5;
    }

    private static int shortestGroup(String span) {
        int shortest = Integer.MAX_VALUE;
        int run = 0;
        for (int k = 0; k <= span.length(); k++) {
            if (k < span.length() && isDigit(span.charAt(k))) {
                run++;
            } else if (run > 0) {
                shortest = Math.min(shortest, run);
                run = 0;
            }
        }
        return shortest;
    }

    private static int firstGroupLength(String span) {
        int k = 0;
        while (k < span.length() && isDigit(span.charAt(k))) {
            k++;
        }
        return k;
    }

    /** A cue word within {@code reach} chars before {@code s} ({@code provided_ssn=}, {@code SSN:}). */
    private static boolean cueBefore(String t, int s, String[] words, int reach) {
        return cueIn(t, s - reach, s, words);
    }

    /** Presidio-style context: a cue word within 40 chars before or 20 after the span. */
    private static boolean context(String t, int s, int e, String[] words) {
        return cueIn(t, s - 40, e + 20, words);
    }

    /** Whether one of {@code words} (lower case) occurs in {@code t[from, to)}, clamped to the text, case-blind. */
    private static boolean cueIn(String t, int from, int to, String[] words) {
        String window = t.substring(Math.max(0, from), Math.min(t.length(), to)).toLowerCase(java.util.Locale.ROOT);
        for (String w : words) {
            if (window.contains(w)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isDate(String d) {
        // 2024-01-31, 31.01.2024, 01/31/2024-like shapes
        return d.equals("9999-99-99") || d.equals("99.99.9999") || d.equals("99-99-9999") || d.equals("9999.99.99");
    }

    static boolean ssnValid(String nineDigits) {
        if (nineDigits.length() != 9) {
            return false;
        }
        int area = Integer.parseInt(nineDigits.substring(0, 3));
        int group = Integer.parseInt(nineDigits.substring(3, 5));
        int serial = Integer.parseInt(nineDigits.substring(5));
        return area != 0 && area != 666 && area < 900 && group != 0 && serial != 0;
    }

    /** ISO/IEC 7812-1 Annex B check digit. */
    static boolean luhn(String digits) {
        int sum = 0;
        boolean dbl = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (d < 0 || d > 9) {
                return false;
            }
            if (dbl) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            dbl = !dbl;
        }
        return digits.length() >= 12 && sum % 10 == 0;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    /** The digits of {@code t[s, e)}, without separators. */
    private static String digitsOf(String t, int s, int e) {
        char[] d = new char[e - s];
        int k = 0;
        for (int i = s; i < e; i++) {
            char c = t.charAt(i);
            if (isDigit(c)) {
                d[k++] = c;
            }
        }
        return new String(d, 0, k);
    }

    /** The span's shape with every digit as {@code 9}: 2024-01-31 reads 9999-99-99. */
    private static String shape(String span) {
        char[] d = span.toCharArray();
        for (int i = 0; i < d.length; i++) {
            if (isDigit(d[i])) {
                d[i] = '9';
            }
        }
        return new String(d);
    }

    private static boolean isHex(char c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
