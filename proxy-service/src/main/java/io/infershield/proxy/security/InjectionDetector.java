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
        int[] hits = InjectionRules.match(norm.text());
        for (int i = 0; i < hits.length; i += 3) {
            InjectionRules.Rule rule = InjectionRules.ALL.get(hits[i]);
            if (rule.score() >= DIRECT_SCORE) {
                out.add(new Finding(Category.PROMPT_INJECTION, rule.type(), norm.originalStart(hits[i + 1]),
                        norm.originalEnd(hits[i + 2]), rule.score(), "rule:" + rule.id()));
            }
        }
        if (model != null && modelApplies(norm, hits)) {
            InjectionModel.Window w = model.best(norm, hits);
            int score = model.score(w.z());
            if (score >= 50) {
                out.add(new Finding(Category.PROMPT_INJECTION, "learned_model", norm.originalStart(w.start()),
                        norm.originalEnd(w.end()), score, model.explain(norm, hits, w, 6)));
            }
        }
    }

    /** Whether the model judges this text at all: a rule hit, or the text addresses the assistant. */
    static boolean modelApplies(NormalizedText norm, int[] ruleHits) {
        return ruleHits.length > 0 || InjectionFeatures.addressesAssistant(norm.text());
    }

    /** Base64 runs long enough to hide a sentence, decoded when they are mostly printable text. */
    private void base64Segments(String text, List<Finding> out) {
        int n = text.length();
        int s = -1; // start of the current base64 run
        for (int i = 0; i <= n; i++) {
            char c = i < n ? text.charAt(i) : 0;
            if (c < 128 && B64[c]) {
                if (s < 0) {
                    s = i;
                }
                continue;
            }
            if (s < 0) {
                continue;
            }
            int start = s;
            s = -1;
            if (i - start < MIN_BASE64) {
                continue;
            }
            int end = i;
            while (end < n && end - i < 2 && text.charAt(end) == '=') {
                end++;
            }
            String decoded = decode(text.substring(start, end));
            i = end - 1;
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

    private static String decode(String b64) {
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
