package io.infershield.proxy.security;

import com.google.re2j.Matcher;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Secrets in gitleaks style: provider formats ({@link SecretRules}) gated by keywords, plus a generic
 * "credential-named key assigned a random-looking value" scanner in the spirit of gitleaks' generic-api-key and
 * detect-secrets' keyword plugin. Every candidate passes entropy and placeholder allow-lists before it is reported.
 */
public final class SecretDetector implements Detector {

    /** Identifier endings that name a credential outright. */
    private static final List<String> STRONG_NAMES = List.of("secret", "password", "passwd", "pwd", "pass", "pw",
            "token", "apikey", "accesskey", "secretkey", "privatekey", "authorization", "credential", "credentials",
            "auth");
    /** Words in an identifier that say the value is not confidential. */
    private static final List<String> BENIGN_NAMES = List.of("public", "csrf", "xsrf", "nonce", "example", "sample",
            "test");
    private static final Set<String> WORD_PASSWORDS = Set.of("password", "passwd", "pass", "secret", "token", "pwd",
            "changeme", "admin", "root", "test");
    private static final String[] AUTH_SCHEMES = {"bearer ", "basic ", "token ", "api-token ", "bot ", "digest "};
    private static final List<String> GENERIC_KEYWORDS = List.of("key", "secret", "token", "pass", "pwd", "auth",
            "cred", "pw");

    private final List<SecretRule> rules = SecretRules.all();
    private final KeywordIndex index;
    private final int[] keywordRule;
    private final int genericBase;
    /** The rules whose keyword is {@code .} (Discord) and {@code s.} (Vault's short form), or -1: see {@link Scan#dots}. */
    private final int discordRule;
    private final int vaultShortRule;
    /** Identifiers a provider rule decides alone (see {@link SecretRule#ownedName()}), lower case. */
    private final List<String> ownedNames = new ArrayList<>();
    /** Literal prefixes of provider formats: a generic value starting with one is judged by that provider's rule. */
    private final List<String> providerPrefixes = new ArrayList<>();

    /**
     * Google's {@code AIza} keys are judged by {@code google-api-key} alone, which looks for a Gemini or Google API
     * context: the same shape is a Firebase web config's {@code apiKey}, which Google documents as public.
     */
    static final String GOOGLE_KEY_PREFIX = "aiza";

    public SecretDetector() {
        List<String> keywords = new ArrayList<>();
        List<Integer> owners = new ArrayList<>();
        int discord = -1;
        int vaultShort = -1;
        for (int r = 0; r < rules.size(); r++) {
            SecretRule rule = rules.get(r);
            for (String k : rule.keywords()) {
                if (!rule.context() && isProviderPrefix(k, rule)) {
                    providerPrefixes.add(k);
                }
                if (rule.id().equals("discord-bot-token") && k.equals(".")) {
                    discord = r;
                } else if (rule.id().equals("vault-token") && k.equals("s.")) {
                    vaultShort = r;
                } else {
                    keywords.add(k);
                    owners.add(r);
                }
            }
            if (rule.ownedName() != null) {
                ownedNames.add(rule.ownedName().toLowerCase(Locale.ROOT));
            }
        }
        providerPrefixes.add(GOOGLE_KEY_PREFIX);
        genericBase = keywords.size();
        keywords.addAll(GENERIC_KEYWORDS);
        index = new KeywordIndex(keywords);
        keywordRule = owners.stream().mapToInt(Integer::intValue).toArray();
        discordRule = discord;
        vaultShortRule = vaultShort;
    }

    /** Discord's token has two dots 7 apart, [MNO]…{23,25} . …{6} . …{27,38}: a dot of a match has its partner. */
    private static boolean discordDotOk(String text, int dot) {
        return (dot + 7 < text.length() && text.charAt(dot + 7) == '.') || (dot >= 7 && text.charAt(dot - 7) == '.');
    }

    /** Vault's short form is s. then 24 alphanumerics, not glued to a word before it (the rule's STRICT edge). */
    private static boolean vaultShortOk(String text, int start, int end) {
        return end + 23 < text.length() && isAsciiAlnum(text.charAt(end)) && isAsciiAlnum(text.charAt(end + 23))
                && (start == 0 || !Texts.isWordChar(text.charAt(start - 1)));
    }

    private static boolean isAsciiAlnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    /**
     * A keyword that starts a match of its rule ({@code ghp_}, {@code dapi}, an alternative such as
     * {@code |gldt}) and is specific enough (4+ chars, not the word {@code api-}) to say which provider a value
     * claims to come from.
     */
    private static boolean isProviderPrefix(String keyword, SecretRule rule) {
        String stem = keyword.replaceAll("[^a-z0-9]+$", "");
        if (keyword.length() < 4 || stem.length() < 3 || keyword.equals("api-")) {
            return false;
        }
        String regex = rule.pattern().pattern().toLowerCase(Locale.ROOT).replace("\\", "");
        for (String lead : new String[] {"(", "(?:", "|"}) {
            int i = regex.indexOf(lead + stem);
            if (i >= 0 && i < 80) {
                return true;
            }
        }
        return false;
    }

    @Override
    public List<Finding> scan(String text, Direction direction) {
        Scan scan = new Scan(text);
        index.scan(text, scan);
        scan.dots();
        for (int r = 0; r < rules.size(); r++) {
            int[] w = scan.windows[r];
            for (int i = 0; i < scan.counts[r]; i++) {
                applyRule(rules.get(r), text, w[2 * i], w[2 * i + 1], scan.found);
            }
        }
        return dedupe(scan.found);
    }

    /**
     * State of one scan, fed by the keyword pass: per rule, the merged windows {@code [from, to)} its pattern
     * must run on; generic findings are judged on the spot.
     */
    private final class Scan implements KeywordIndex.Hits {
        final String text;
        final int[][] windows = new int[rules.size()][];
        final int[] counts = new int[rules.size()];
        final List<Finding> found = new ArrayList<>();
        int lastGenericEnd = -1;
        /** The last token computed, reused by the next hits inside it: so finding tokens stays linear. */
        int tokenStart = -1;
        int tokenEnd = -1;

        Scan(String text) {
            this.text = text;
        }

        @Override
        public void hit(int k, int end) {
            int start = end - index.length(k);
            if (k >= genericBase) {
                if (end > lastGenericEnd) {
                    lastGenericEnd = generic(text, start, end, found);
                }
                return;
            }
            window(keywordRule[k], start, end);
        }

        /**
         * The hits of {@code .} and {@code s.}, most of all keyword hits in prose and code, found from the dots
         * ({@code String.indexOf} is vectorised) and not by the automaton, where each would cost a reported hit.
         * Only the dots that pass their rule's guard open a window: a match's own keyword occurrence always passes,
         * and the pattern only ever reports matches inside some passing hit's window, so the findings do not change.
         * Each rule's windows depend only on its own hits in text order, so a pass of their own keeps them.
         */
        void dots() {
            // token() walks back no further than the previous token's end, which assumes hits in text order
            tokenStart = -1;
            tokenEnd = -1;
            for (int p = text.indexOf('.'); p >= 0; p = text.indexOf('.', p + 1)) {
                char before = p > 0 ? text.charAt(p - 1) : 0;
                if (vaultShortRule >= 0 && (before == 's' || before == 'S') && vaultShortOk(text, p - 1, p + 1)) {
                    window(vaultShortRule, p - 1, p + 1);
                }
                if (discordRule >= 0 && discordDotOk(text, p)) {
                    window(discordRule, p, p + 1);
                }
            }
        }

        /** Adds the window of rule {@code r}'s keyword hit {@code [start, end)}, merged with the rule's last one. */
        private void window(int r, int start, int end) {
            SecretRule rule = rules.get(r);
            int reach = rule.reach();
            int from = Math.max(0, start - Math.min(reach, 256));
            int to = Math.min(text.length(), end + reach);
            if (!rule.context()) {
                token(start, end);
                if (tokenEnd - tokenStart < rule.minLength()
                        || (rule.required() != 0 && !contains(text, tokenStart, tokenEnd, rule.required()))) {
                    return;
                }
                from = Math.max(from, tokenStart);
                to = Math.min(to, tokenEnd);
            }
            int[] w = windows[r];
            int c = counts[r];
            if (c > 0 && from <= w[2 * c - 1]) {
                w[2 * c - 1] = Math.max(w[2 * c - 1], to);
                return;
            }
            if (w == null) {
                w = windows[r] = new int[8];
            } else if (2 * c + 2 > w.length) {
                w = windows[r] = java.util.Arrays.copyOf(w, w.length * 2);
            }
            w[2 * c] = from;
            w[2 * c + 1] = to;
            counts[r] = c + 1;
        }

        /** Sets {@code [tokenStart, tokenEnd)} to the run of token chars around {@code [s, e)}. */
        private void token(int s, int e) {
            if (s >= tokenStart && e <= tokenEnd) {
                return;
            }
            int ts = s;
            int floor = Math.max(0, tokenEnd);
            while (ts > floor && isTokenChar(text.charAt(ts - 1))) {
                ts--;
            }
            int te = e;
            int n = text.length();
            while (te < n && isTokenChar(text.charAt(te))) {
                te++;
            }
            tokenStart = ts;
            tokenEnd = te;
        }
    }

    private static boolean contains(String text, int from, int to, char c) {
        for (int i = from; i < to; i++) {
            if (text.charAt(i) == c) {
                return true;
            }
        }
        return false;
    }

    /** Chars a single-token secret can contain: anything but blanks, quotes, brackets and separators. */
    private static boolean isTokenChar(char c) {
        return c >= 128 ? !Character.isWhitespace(c) : TOKEN_CHAR[c];
    }

    private static final boolean[] TOKEN_CHAR = new boolean[128];

    static {
        for (char c = '!'; c < 127; c++) {
            TOKEN_CHAR[c] = "\"'`()[]{}<>,;\\".indexOf(c) < 0;
        }
    }

    private void applyRule(SecretRule rule, String text, int from, int to, List<Finding> found) {
        Matcher m = rule.pattern().matcher(text.substring(from, to));
        while (m.find()) {
            int g = m.groupCount() >= 1 && m.start(1) >= 0 ? 1 : 0;
            int s = from + m.start(g);
            int e = from + m.end(g);
            if (!edgesOk(rule.edge(), text, s, e) || !valueOk(rule, text, s, e)) {
                continue;
            }
            found.add(new Finding(Category.SECRET, rule.id(), s, e, rule.score(), "rule:" + rule.id()));
        }
    }

    private static boolean edgesOk(SecretRule.Edge edge, String text, int s, int e) {
        if (edge == SecretRule.Edge.NONE) {
            return true;
        }
        if (edge != SecretRule.Edge.RIGHT && s > 0 && Texts.isWordChar(text.charAt(s - 1))) {
            return false;
        }
        if (e < text.length()) {
            char c = text.charAt(e);
            if (Texts.isWordChar(c)) {
                return false;
            }
            return edge != SecretRule.Edge.STRICT || "-.+/=".indexOf(c) < 0;
        }
        return true;
    }

    private static boolean valueOk(SecretRule rule, String text, int s, int e) {
        switch (rule.id()) {
            case "jwt":
                return jwtOk(text.substring(s, e));
            case "curl-auth-user":
                return curlUserOk(text, s, e);
            case "basic-auth-url":
                return passwordOk(text, s, e, 3);
            case "private-key":
                return true;
            case "twitter-bearer-token": {
                // the token is URL-encoded: the % of an escape (%2B, %3D) is not a %VAR% placeholder
                String v = text.substring(s, e).replaceAll("%[0-9A-Fa-f]{2}", "");
                return !Texts.isPlaceholder(v, 0, v.length()) && Texts.entropy(text, s, e) >= rule.minEntropy();
            }
            case "vault-token":
                // the short form is only told apart from property access (s.someName) by its mixed alphabet
                if (e - s < 40 && !(Texts.hasDigit(text, s, e) && Texts.hasUpperAndLower(text, s, e))) {
                    return false;
                }
                break;
            default:
                break;
        }
        if (Texts.isPlaceholder(text, s, e)) {
            return false;
        }
        return rule.minEntropy() <= 0 || Texts.entropy(text, s, e) >= rule.minEntropy();
    }

    private static boolean jwtOk(String token) {
        String[] parts = token.split("\\.");
        for (int i = 0; i < Math.min(2, parts.length); i++) {
            try {
                String json = new String(Base64.getUrlDecoder().decode(stripPad(parts[i])), StandardCharsets.UTF_8).trim();
                if (!json.startsWith("{") || !json.endsWith("}") || !json.contains("\":")
                        || !json.chars().allMatch(c -> c >= 0x20 || c == '\n' || c == '\r' || c == '\t')) {
                    return false;
                }
            } catch (IllegalArgumentException badBase64) {
                return false;
            }
        }
        return true;
    }

    private static String stripPad(String s) {
        // a partial last quantum of 1 char is never valid base64
        return s.length() % 4 == 1 ? s.substring(0, s.length() - 1) + "A" : s;
    }

    private static boolean curlUserOk(String text, int s, int e) {
        String cred = text.substring(s, e).replace("\"", "").replace("'", "");
        if (cred.indexOf('<') >= 0 || cred.indexOf('>') >= 0) {
            return false;
        }
        int colon = cred.indexOf(':');
        if (colon < 0) {
            return false;
        }
        if (colon + 1 < cred.length() && cred.charAt(colon + 1) == '{' && cred.endsWith("}")
                && cred.indexOf('$') < 0 && cred.indexOf("{{") < 0) {
            // "{user}":"{pass}" wraps literal values in braces (IBM Cloud docs style): a braced word is a hint,
            // a braced random string is the password itself
            int ps = colon + 2;
            int pe = cred.length() - 1;
            return pe - ps >= 8 && Texts.hasDigit(cred, ps, pe) && Texts.hasUpperAndLower(cred, ps, pe)
                    && Texts.entropy(cred, ps, pe) >= 3.0;
        }
        return colon + 1 < cred.length() ? passwordOk(cred, colon + 1, cred.length(), 6) : passwordOk(cred, 0, colon, 6);
    }

    /** A literal password, not a variable, template or dictionary word. */
    private static boolean passwordOk(String text, int s, int e, int minLength) {
        if (e - s < minLength) {
            return false;
        }
        char first = text.charAt(s);
        if ("${<[(%*".indexOf(first) >= 0) {
            return false;
        }
        String v = text.substring(s, e);
        if (v.contains("${") || v.contains("$(") || v.contains("{{") || v.contains("xxxxx") || v.contains("XXXXX")
                || v.contains("***")) {
            return false;
        }
        return !WORD_PASSWORDS.contains(v.toLowerCase(Locale.ROOT));
    }

    /**
     * The generic assignment scanner, run at a keyword hit {@code [ks, ke)}: the identifier around the keyword
     * must end in a credential name, be followed by an assignment operator and a random-looking literal.
     * Returns the index up to which the text was consumed, so one identifier is judged once.
     */
    private int generic(String text, int ks, int ke, List<Finding> found) {
        int n = text.length();
        int idStart = ks;
        while (idStart > 0 && ke - idStart < 80 && isIdChar(text.charAt(idStart - 1))) {
            idStart--;
        }
        int idEnd = ke;
        while (idEnd < n && idEnd - idStart < 100 && isIdChar(text.charAt(idEnd))) {
            idEnd++;
        }
        if (inColonChain(text, idStart)) {
            return idEnd;
        }
        int i = valueAfterAssignment(text, idStart, idEnd);
        if (i < 0) {
            return idEnd;
        }
        // the name is judged only once an assignment follows: most keyword hits in prose stop above
        String name = squash(text, idStart, idEnd);
        boolean strong = false;
        boolean weak = false;
        for (String s : STRONG_NAMES) {
            if (name.endsWith(s)) {
                strong = true;
                break;
            }
        }
        if (!strong) {
            // a bare "key" names a map key, a crypto or config key as often as a credential (detect-secrets'
            // keyword list has only compounds: api_key, auth_key, private_key…)
            weak = name.endsWith("key") && name.length() > 3;
        }
        if (!strong && !weak) {
            return idEnd;
        }
        if (notACredential(name, weak, BENIGN_NAMES) || ownedByProvider(text, idStart, idEnd)) {
            return idEnd;
        }
        // gitleaks curl-auth-header: a header sent with curl -H carries the credential itself, and gitleaks accepts
        // 8+ chars at 2.75 bits/char there (a 16-hex "Token:" value), against 3.0 for an assignment
        boolean header = isCurlHeader(text, idStart);
        i = skipBlanks(text, i, 5);
        if (i < n && (text.charAt(i) == '"' || text.charAt(i) == '\'')) {
            i++;
        }
        char first = i < n ? text.charAt(i) : 0;
        for (String scheme : AUTH_SCHEMES) {
            // the schemes are lower case: an ASCII first char that is not the scheme's, in either case, rules it out
            // before the case-blind comparison
            boolean mayMatch = first >= 128 || (first | 0x20) == scheme.charAt(0);
            if (mayMatch && text.regionMatches(true, i, scheme, 0, scheme.length())) {
                i = skipBlanks(text, i + scheme.length(), 5);
                break;
            }
        }
        int vs = i;
        while (i < n && i - vs < 256 && isValueChar(text.charAt(i))) {
            i++;
        }
        int ve = i;
        while (ve > vs && ".-_".indexOf(text.charAt(ve - 1)) >= 0 && ve - vs > 1 && text.charAt(ve - 1) == '.') {
            ve--;
        }
        boolean elided = text.startsWith("..", ve) || text.startsWith("\u2026", ve) || (ve - vs > 2 && text.startsWith("..", ve - 2));
        if (!elided && looksRandom(text, vs, ve, strong, header) && !claimsProvider(text, vs, ve)) {
            found.add(new Finding(Category.SECRET, "generic-credential", vs, ve, strong ? 75 : 65,
                    "rule:generic-credential (" + (strong ? "credential-named" : "key-named") + " assignment, entropy "
                            + String.format(Locale.ROOT, "%.1f", Texts.entropy(text, vs, ve)) + ")"));
        }
        return Math.max(idEnd, ve);
    }

    /**
     * True when the identifier contains a name a provider rule owns, as a word of its own ({@code meraki_token},
     * {@code //host/:_authToken}), not glued to letters before it ({@code user_authToken} is not npm's key).
     */
    private boolean ownedByProvider(String text, int idStart, int idEnd) {
        for (String owned : ownedNames) {
            for (int i = idStart; i + owned.length() <= idEnd; i++) {
                if (text.regionMatches(true, i, owned, 0, owned.length())
                        && (i == idStart || !Character.isLetterOrDigit(text.charAt(i - 1)))) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * A value that starts with a provider's literal prefix ({@code dapi}, {@code ghp_}, {@code glpat-}) claims that
     * provider's format, and the provider rule, which saw it too, rejected it: a truncated or invented sample.
     */
    private boolean claimsProvider(String text, int vs, int ve) {
        for (String prefix : providerPrefixes) {
            if (ve - vs > prefix.length() && text.regionMatches(true, vs, prefix, 0, prefix.length())) {
                return true;
            }
        }
        return false;
    }

    /** The identifier opens a quoted curl header argument: {@code -H "Name: value"} or {@code --header 'Name: …'}. */
    private static boolean isCurlHeader(String text, int idStart) {
        int j = idStart - 1;
        if (j < 0 || (text.charAt(j) != '"' && text.charAt(j) != '\'')) {
            return false;
        }
        while (j > 0 && idStart - j < 8 && " \t=".indexOf(text.charAt(j - 1)) >= 0) {
            j--;
        }
        return flagEndsAt(text, j, "-H") || flagEndsAt(text, j, "--header");
    }

    private static boolean flagEndsAt(String text, int end, String flag) {
        int s = end - flag.length();
        return s >= 0 && text.startsWith(flag, s) && (s == 0 || Character.isWhitespace(text.charAt(s - 1)));
    }

    private static boolean looksRandom(String text, int s, int e, boolean strong, boolean header) {
        int len = e - s;
        if (len < (header ? 8 : strong ? 10 : 16) || !Texts.hasLetter(text, s, e)) {
            return false;
        }
        boolean digit = Texts.hasDigit(text, s, e);
        // cheap checks first: a key-named value without a digit or shaped like a name (process.env.API_KEY) is out
        // before the placeholder test's allocation and the entropy's logarithms
        if ((!digit && !(strong && len >= 12)) || isNameShaped(text, s, e) || Texts.isPlaceholder(text, s, e)) {
            return false;
        }
        double h = Texts.entropy(text, s, e);
        if (!digit && !(strong && len >= 12 && h >= 3.5 && Texts.hasUpperAndLower(text, s, e))) {
            return false;
        }
        return h >= (header ? 2.75 : 3.0);
    }

    /** A URL, version, file name, property path or snake_case words: a value that names something, not a key. */
    private static boolean isNameShaped(String text, int s, int e) {
        return hasUrlScheme(text, s, e) || hasVersion(text, s, e) || hasFileExtension(text, s, e)
                || isDottedPath(text, s, e) || isSnakeWords(text, s, e);
    }

    /** {@code ://} in {@code text[s, e)}. */
    private static boolean hasUrlScheme(String text, int s, int e) {
        for (int i = s; i + 3 <= e; i++) {
            if (text.charAt(i) == ':' && text.charAt(i + 1) == '/' && text.charAt(i + 2) == '/') {
                return true;
            }
        }
        return false;
    }

    /** 1.2, 10.0.3: a version, not a key. */
    private static boolean hasVersion(String text, int s, int e) {
        for (int i = s + 1; i + 1 < e; i++) {
            if (text.charAt(i) == '.' && isDigit(text.charAt(i - 1)) && isDigit(text.charAt(i + 1))) {
                return true;
            }
        }
        return false;
    }

    /** name.pem, cert.p12: a file reference (a last dot after the first char, then 2-4 letters or digits). */
    private static boolean hasFileExtension(String text, int s, int e) {
        int dot = e - 1;
        while (dot >= Math.max(s, e - 5) && text.charAt(dot) != '.') {
            dot--;
        }
        // a dot further back leaves more than 4 chars after it
        if (dot <= s || dot < e - 5 || e - dot - 1 < 2) {
            return false;
        }
        for (int i = dot + 1; i < e; i++) {
            if (!Character.isLetterOrDigit(text.charAt(i))) {
                return false;
            }
        }
        return Character.isLetter(text.charAt(dot + 1));
    }

    /** a.b.c where every segment is an identifier: a property path or package name. */
    private static boolean isDottedPath(String text, int s, int e) {
        boolean dotted = false;
        int segment = s;
        for (int i = s; i <= e; i++) {
            if (i == e || text.charAt(i) == '.') {
                char first = i > segment ? text.charAt(segment) : 0;
                if (!(Character.isLetter(first) || first == '_')) {
                    return false; // also an empty segment
                }
                dotted |= i < e;
                segment = i + 1;
            } else if (!Texts.isWordChar(text.charAt(i))) {
                return false;
            }
        }
        return dotted;
    }

    /** insert_key_here: words joined by underscores. */
    private static boolean isSnakeWords(String text, int s, int e) {
        boolean underscore = false;
        for (int i = s; i < e; i++) {
            char c = text.charAt(i);
            if (!(Character.isLetter(c) || c == '_')) {
                return false;
            }
            underscore |= c == '_';
        }
        return underscore;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /**
     * Where the value assigned to the identifier {@code [idStart, idEnd)} starts (blanks and an opening quote still
     * to skip), or -1 when no assignment follows: {@code name = v}, {@code name: v}, {@code name := v},
     * {@code name => v}, {@code "name": v}, {@code x["name"] = v} (a quote and a bracket close the name), a
     * {@code --flag v}; a quoted name and its value as a call's two arguments ({@code define('DB_PASSWORD', 'v')},
     * {@code setenv("API_TOKEN", "v")}); a setter or builder call ({@code setPassword("v")}, {@code .password("v")});
     * SQL's {@code PASSWORD 'v'} ({@code CREATE ROLE r WITH LOGIN PASSWORD 'v'}). Shared with the equivalence test's
     * reference.
     */
    static int valueAfterAssignment(String text, int idStart, int idEnd) {
        int n = text.length();
        int i = idEnd;
        boolean quotedName = false;
        if (i < n && (text.charAt(i) == '"' || text.charAt(i) == '\'')) {
            quotedName = idStart > 0 && text.charAt(idStart - 1) == text.charAt(i);
            i++;
            if (quotedName && i < n && text.charAt(i) == ']') {
                i++;
            }
        }
        i = skipBlanks(text, i, 5);
        int op = i;
        // most hits stop here, so the operator is read char by char
        char c = i < n ? text.charAt(i) : 0;
        char after = i + 1 < n ? text.charAt(i + 1) : 0;
        if ((c == ':' && after == '=') || (c == '=' && after == '>')) {
            i += 2;
        } else if (c == '=' || c == ':') {
            if (c == '=' && after == '=') {
                return -1;
            }
            i++;
        } else if (c == ',' && quotedName) {
            i++;
        } else if (c == '(' && i == idEnd && (after == '"' || after == '\'') && setsCredential(text, idStart, idEnd)) {
            i++;
        } else if (c == '\'' && i > idEnd && squash(text, idStart, idEnd).equals("password")) {
            return i;
        } else if (!(i > idEnd && text.startsWith("--", idStart))) {
            // no operator: only a --flag takes its value after a blank
            return -1;
        }
        if (i < n && text.charAt(i) == '=' && i > op) {
            return -1;
        }
        return i;
    }

    /** {@code setPassword}, {@code setApiToken}, or a builder's {@code .password}, {@code .apiKey}: the call sets it. */
    private static boolean setsCredential(String text, int idStart, int idEnd) {
        // the method is the identifier's last segment: config.setPassword, builder.password
        int dot = text.lastIndexOf('.', idEnd - 1);
        int method = dot >= idStart ? dot + 1 : idStart;
        String name = squash(text, method, idEnd);
        boolean setter = name.startsWith("set") && name.length() > 3;
        boolean builder = method > 0 && text.charAt(method - 1) == '.';
        if (!setter && !builder) {
            return false;
        }
        String what = setter ? name.substring(3) : name;
        for (String strong : STRONG_NAMES) {
            if (what.equals(strong) || (setter && what.endsWith(strong))) {
                return true;
            }
        }
        return what.equals("apikey") || what.equals("secretkey") || what.equals("accesskey");
    }

    /**
     * Compound {@code …key} names of things that are not credentials: an idempotency or cache key, a database's
     * primary, foreign, partition or sort key, a routing or lookup key, a translation key, a keyboard shortcut.
     */
    private static final List<String> NOT_CREDENTIAL_KEYS = List.of("idempotency", "cache", "primary", "foreign",
            "partition", "sort", "routing", "lookup", "dedup", "i18n", "translation", "shortcut", "hotkey");

    /**
     * Whether the identifier {@code name} (squashed) does not name a credential: a word says the value is public or
     * a sample ({@code public_key}, {@code csrf_token}), or a compound {@code …key} ({@code weak}) names a key of
     * another kind. Shared with the equivalence test's reference.
     */
    static boolean notACredential(String name, boolean weak, List<String> benignNames) {
        for (String b : benignNames) {
            if (name.contains(b)) {
                return true;
            }
        }
        if (weak) {
            for (String k : NOT_CREDENTIAL_KEYS) {
                if (name.contains(k)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The identifier is a segment of a colon-separated name ({@code arn:aws:secretsmanager:…:secret:prod/db}), not a
     * name assigned a value. Shared with the equivalence test's reference.
     */
    static boolean inColonChain(String text, int idStart) {
        if (idStart < 2 || text.charAt(idStart - 1) != ':' || !isIdChar(text.charAt(idStart - 2))) {
            return false;
        }
        // a chain has another colon before in the same token (arn:aws:…:secret:); PowerShell's $env:API_TOKEN has not
        for (int i = idStart - 2; i >= 0 && idStart - i < 256; i--) {
            char c = text.charAt(i);
            if (c == ':') {
                return true;
            }
            if (!isIdChar(c) && c != '/') {
                return false;
            }
        }
        return false;
    }

    static String squash(String text, int s, int e) {
        char[] b = new char[e - s];
        int k = 0;
        for (int i = s; i < e; i++) {
            char c = text.charAt(i);
            if (Character.isLetterOrDigit(c)) {
                b[k++] = Character.toLowerCase(c);
            }
        }
        return new String(b, 0, k);
    }

    static int skipBlanks(String text, int i, int max) {
        int limit = Math.min(text.length(), i + max);
        while (i < limit && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    private static boolean isIdChar(char c) {
        return c < 128 && ID_CHAR[c];
    }

    /** {@link Texts#isWordChar} or {@code - .}, by table: the identifier walks run at every generic hit. */
    private static final boolean[] ID_CHAR = new boolean[128];

    static {
        for (char c = 0; c < 128; c++) {
            ID_CHAR[c] = Texts.isWordChar(c) || c == '-' || c == '.';
        }
    }

    private static boolean isValueChar(char c) {
        return c >= 128 || VALUE_CHAR[c];
    }

    private static final boolean[] VALUE_CHAR = new boolean[128];

    static {
        for (char c = '!'; c < 127; c++) {
            VALUE_CHAR[c] = "\"'`,;()[]{}<>\\".indexOf(c) < 0;
        }
    }

    /** Overlapping secret findings collapse to the most specific (highest score, then longest). */
    static List<Finding> dedupe(List<Finding> found) {
        if (found.size() < 2) {
            return found;
        }
        found.sort(Comparator.comparingInt(Finding::score).reversed()
                .thenComparing(Comparator.comparingInt((Finding f) -> f.end() - f.start()).reversed()));
        List<Finding> kept = new ArrayList<>();
        for (Finding f : found) {
            boolean clash = false;
            for (Finding k : kept) {
                if (k.overlaps(f)) {
                    clash = true;
                    break;
                }
            }
            if (!clash) {
                kept.add(f);
            }
        }
        kept.sort(Comparator.comparingInt(Finding::start));
        return kept;
    }
}
