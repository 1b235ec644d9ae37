package io.infershield.proxy.security;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Scans a streamed response as its text deltas arrive, holding only a bounded look-back window: each delta is
 * scanned together with the last {@code lookBack} chars before it, so a secret split across two SSE chunks is
 * still seen whole. Findings carry absolute offsets into the stream. A finding that touches the end of what has
 * arrived may still grow, so it is reported once the stream moves past it or ends. Work per delta is
 * O(lookBack + delta), independent of how long the stream already is. Not thread-safe: one instance per stream.
 */
public final class StreamScanner {

    /** Default look-back: longer than any single-token secret format except PEM private keys. */
    public static final int DEFAULT_LOOK_BACK = 1024;

    private final List<Detector> detectors;
    private final int lookBack;
    private final StringBuilder window = new StringBuilder();
    /** Absolute offset of {@code window.charAt(0)}. */
    private long base;
    private final Set<String> reported = new HashSet<>();

    /**
     * @param detectors the detectors to run on each window (typically secrets, PII and exfiltration)
     * @param lookBack  chars kept from earlier deltas, at least 64
     */
    public StreamScanner(List<Detector> detectors, int lookBack) {
        if (lookBack < 64) {
            throw new IllegalArgumentException("look-back below 64 chars cannot hold a token");
        }
        this.detectors = List.copyOf(detectors);
        this.lookBack = lookBack;
    }

    /** Secrets, PII and exfiltration for model responses, with the default look-back. */
    public static StreamScanner forResponses(Set<String> trustedHosts) {
        SecretDetector secrets = new SecretDetector();
        return new StreamScanner(List.of(secrets, new PiiDetector(), new ExfiltrationDetector(trustedHosts, secrets)),
                DEFAULT_LOOK_BACK);
    }

    /** Total chars seen so far. */
    public long position() {
        return base + window.length();
    }

    /** Feeds the next text delta; returns the findings completed by it, with absolute offsets. */
    public List<Finding> feed(String delta) {
        window.append(delta);
        List<Finding> out = scan(false);
        trim();
        return out;
    }

    /** Ends the stream; returns findings that were waiting on more text. */
    public List<Finding> finish() {
        List<Finding> out = scan(true);
        window.setLength(0);
        return out;
    }

    private List<Finding> scan(boolean last) {
        String text = window.toString();
        List<Finding> out = new ArrayList<>();
        for (Detector d : detectors) {
            for (Finding f : d.scan(text, Direction.RESPONSE)) {
                if (!last && f.end() >= text.length()) {
                    continue; // may still grow with the next delta
                }
                long absStart = base + f.start();
                String key = f.category() + ":" + f.type() + ":" + absStart;
                if (reported.add(key)) {
                    out.add(f.shift((int) base));
                }
            }
        }
        return out;
    }

    private void trim() {
        int excess = window.length() - lookBack;
        if (excess > 0) {
            window.delete(0, excess);
            base += excess;
            long floor = base;
            reported.removeIf(k -> Long.parseLong(k.substring(k.lastIndexOf(':') + 1)) < floor - lookBack);
        }
    }
}
