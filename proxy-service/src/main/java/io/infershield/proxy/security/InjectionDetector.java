package io.infershield.proxy.security;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Prompt injection and jailbreaks: {@link InjectionRules} on de-obfuscated text, combined with the learned
 * {@link InjectionModel}. High-precision rules report on their own; the model reports the window it scores
 * highest when that passes its cross-validated threshold, explained by its top n-grams. Base64 segments are
 * decoded and scanned again, reported on the encoded span.
 */
public final class InjectionDetector implements Detector {

    /** The type of the model's findings (rules report their own types). */
    public static final String MODEL_TYPE = "learned_model";
    /** Rules scoring at least this report without the model. */
    public static final int DIRECT_SCORE = 70;
    private static final int MIN_BASE64 = 24;
    private final InjectionModel model;

    /** With the model shipped in the jar. */
    public InjectionDetector() {
        this(InjectionModel.load());
    }

    /** With a given model, or rules only when {@code model} is null. */
    public InjectionDetector(InjectionModel model) {
        this.model = model;
    }

    @Override
    public List<Finding> scan(String text, Direction direction) {
        List<Finding> out = new ArrayList<>();
        scanPlain(text, out);
        base64Segments(text, out);
        return out;
    }

    private void scanPlain(String text, List<Finding> out) {
        NormalizedText norm = NormalizedText.of(text);
        InjectionFeatures.WordGrams grams = model == null ? null : model.wordGrams(norm);
        int[] hits = InjectionRules.match(norm.text(), norm.chars(), grams);
        for (int i = 0; i < hits.length; i += 3) {
            InjectionRules.Rule rule = InjectionRules.ALL.get(hits[i]);
            if (rule.score() >= DIRECT_SCORE) {
                out.add(new Finding(Category.PROMPT_INJECTION, rule.type(), norm.originalStart(hits[i + 1]),
                        norm.originalEnd(hits[i + 2]), rule.score(), "rule:" + rule.id()));
            }
        }
        codePayload(text, norm, hits, out);
        if (model != null && modelApplies(norm, hits)) {
            InjectionModel.Window w = model.best(norm, hits, grams);
            int score = model.score(w.z());
            if (score >= 50) {
                out.add(new Finding(Category.PROMPT_INJECTION, MODEL_TYPE, norm.originalStart(w.start()),
                        norm.originalEnd(w.end()), score, model.explain(norm, hits, w, 6)));
            }
        }
    }

    /**
     * Normalised chars a text needs before the model judges it without a rule hit. A one-line message to the
     * assistant ("you forgot the import") gives a bag of n-grams too little evidence to tell a jailbreak from a
     * follow-up; there the rules decide.
     */
    static final int MODEL_MIN_LENGTH = 100;

    /**
     * Whether the model judges this text at all: a rule hit, or a text of at least {@link #MODEL_MIN_LENGTH}
     * chars that addresses the assistant.
     */
    static boolean modelApplies(NormalizedText norm, int[] ruleHits) {
        return ruleHits.length > 0
                || (norm.text().length() >= MODEL_MIN_LENGTH && InjectionFeatures.addressesAssistant(norm.text()));
    }

    /** Rules that ask for code from the data to be put into the assistant's own code or answer. */
    private static final int[] CODE_INSERT = InjectionRules.indexes("indirect-code-insert", "indirect-code-merge", "indirect-code-merge-by");
    /** How far around the instruction the code it points at may sit, in original chars. */
    private static final int PAYLOAD_BEFORE = 1500;
    private static final int PAYLOAD_AFTER = 3000;
    /**
     * Capabilities that make planted code an attack rather than a refactoring: sending data out, running other
     * programs or fetched code, capturing input or screens, reading credentials, destroying data. Matched as
     * written in code (case-sensitive).
     */
    private static final String[] PAYLOAD_MARKERS = {
        "requests.", "urllib", "http.client", "aiohttp", "socket.", "smtplib", "ftplib", "paramiko", "bluetooth",
        "XMLHttpRequest", "fetch(", "axios", "curl ", "wget", "Invoke-WebRequest", "/dev/tcp/", "nc -e",
        "subprocess", "os.system", "os.popen", "exec(", "eval(", "__import__", "child_process", "Runtime.getRuntime",
        "ProcessBuilder", "| sh", "| bash", "powershell",
        "pynput", "keyboard", "pyperclip", "pyautogui", "ImageGrab", "screenshot", "cookiejar", "keylog",
        ".ssh", "id_rsa", "/etc/passwd", "/etc/shadow", "os.environ", "process.env", "authorized_keys", ".aws/credentials",
        "rm -rf", "shutil.rmtree", "mkfs", "systemctl stop", "shutdown", "iptables", "xmrig", "stratum+tcp",
    };
    static final int PAYLOAD_SCORE = 85;

    /**
     * An instruction to put code into the assistant's answer, near code with an attack capability: the shape of
     * malware planted through retrieved content (Greshake et al. 2023; BIPIA's code attacks). Either part alone
     * is ordinary in developer traffic; together they report directly, explained by the capability found.
     */
    private static void codePayload(String text, NormalizedText norm, int[] hits, List<Finding> out) {
        for (int i = 0; i < hits.length; i += 3) {
            if (!contains(CODE_INSERT, hits[i])) {
                continue;
            }
            int start = norm.originalStart(hits[i + 1]);
            int end = norm.originalEnd(hits[i + 2]);
            int from = Math.max(0, start - PAYLOAD_BEFORE);
            int to = Math.min(text.length(), end + PAYLOAD_AFTER);
            String window = text.substring(from, to);
            String marker = null;
            int at = Integer.MAX_VALUE;
            for (String m : PAYLOAD_MARKERS) {
                int k = window.indexOf(m);
                if (k >= 0 && from + k < at) {
                    at = from + k;
                    marker = m;
                }
            }
            if (marker != null) {
                out.add(new Finding(Category.PROMPT_INJECTION, "indirect_injection", Math.min(start, at),
                        Math.max(end, at + marker.length()), PAYLOAD_SCORE, "rule:indirect-code-payload (" + marker.trim() + ")"));
                return;
            }
        }
    }

    private static boolean contains(int[] set, int x) {
        for (int v : set) {
            if (v == x) {
                return true;
            }
        }
        return false;
    }

    /** Base64 runs long enough to hide a sentence, decoded when they are mostly printable text. */
    private void base64Segments(String text, List<Finding> out) {
        int[] runs = base64Runs(text);
        for (int r = 0; r < runs.length; r += 2) {
            int start = runs[r];
            int end = runs[r + 1];
            String decoded = decode(text.substring(start, end));
            if (decoded == null) {
                continue;
            }
            List<Finding> inner = new ArrayList<>();
            scanPlain(decoded, inner);
            int best = 0;
            String why = null;
            for (Finding f : inner) {
                if (f.score() > best) {
                    best = f.score();
                    why = f.explanation();
                }
            }
            if (why != null) {
                out.add(new Finding(Category.PROMPT_INJECTION, "obfuscation_base64", start, end, best, "decoded base64: " + why));
            }
        }
    }

    private static final int[] NO_RUNS = {};

    /**
     * The spans (start, end, flattened) of the base64 runs of at least {@link #MIN_BASE64} chars, each with up to
     * two {@code =} of padding. Most text holds only short alphanumeric runs, so the scan looks
     * {@code MIN_BASE64 - 1} chars ahead: a run that long starting at or after {@code p} covers
     * {@code p + MIN_BASE64 - 1}, so when that char is not base64 no such run starts in between, and when it is,
     * only the run around it is read.
     */
    static int[] base64Runs(String text) {
        int[] runs = NO_RUNS;
        int k = 0;
        int n = text.length();
        // every long run that starts before p is handled, and no run reaches from before p to a base64 char at or after p
        int p = 0;
        while (p + MIN_BASE64 <= n) {
            int q = p + MIN_BASE64 - 1;
            if (!isBase64(text.charAt(q))) {
                p = q + 1;
                continue;
            }
            int start = q;
            while (start > p && isBase64(text.charAt(start - 1))) {
                start--;
            }
            int i = q + 1;
            while (i < n && isBase64(text.charAt(i))) {
                i++;
            }
            if (i - start < MIN_BASE64) {
                p = i + 1;
                continue;
            }
            int end = i;
            while (end < n && end - i < 2 && text.charAt(end) == '=') {
                end++;
            }
            if (k == runs.length) {
                runs = java.util.Arrays.copyOf(runs, Math.max(8, 2 * k));
            }
            runs[k++] = start;
            runs[k++] = end;
            p = end;
        }
        return k == runs.length ? runs : java.util.Arrays.copyOf(runs, k);
    }

    private static boolean isBase64(char c) {
        return c < 128 && B64[c];
    }

    /** The text a base64 run encodes, when it is at least 12 bytes of mostly (95%) printable ASCII; else null. */
    static String decode(String b64) {
        String padded = b64.length() % 4 == 0 ? b64 : b64.substring(0, b64.length() - b64.length() % 4);
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(padded);
        } catch (IllegalArgumentException notBase64) {
            return null;
        }
        int printable = 0;
        for (byte b : raw) {
            if ((b >= 32 && b < 127) || b == '\n' || b == '\r' || b == '\t') {
                printable++;
            }
        }
        return raw.length >= 12 && printable >= raw.length * 0.95 ? new String(raw, StandardCharsets.US_ASCII) : null;
    }

    /** The base64 alphabet (RFC 4648 section 4), padding excluded. */
    private static final boolean[] B64 = new boolean[128];

    static {
        for (char c = 0; c < 128; c++) {
            B64[c] = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
        }
    }
}
