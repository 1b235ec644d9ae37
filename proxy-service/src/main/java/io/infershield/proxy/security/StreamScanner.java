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
 *
 * <p>The look-back is context, not delay: callers release text before {@link #heldFrom()}, which trails the end by
 * only {@link #HOLD} chars and the token still arriving. Secrets and the URLs that carry data out are single tokens
 * (no blanks), so a token is held whole until a blank ends it, and the findings that span blanks (a card number or an
 * IBAN in groups, a phone number with its cue word, an assignment's name before its value) fit in {@link #HOLD}. A
 * longer multi-token finding, such as a markdown image with a long alt text, may start in text already released;
 * callers still cut the rest of it. A token longer than the look-back is released from the look-back on, as before.
 *
 * <p>One secret is longer than any look-back worth having: a PEM private key (1.7 KB for RSA-2048, 3.3 KB for
 * RSA-4096). While a {@code -----BEGIN … PRIVATE KEY-----} block is open, the window keeps its header, up to
 * {@link #MAX_OPEN_BLOCK} chars, so the key is matched whole when its {@code -----END} line arrives; callers hold
 * back text from {@link #heldFrom()} on, so none of the key leaves before then.
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
    /** Absolute offset of an open private-key block's header, or -1. */
    private long openBlock = -1;
    /** Absolute offset of the token still arriving: the first char after the window's last blank. */
    private long lastToken;

    /**
     * Chars held behind the end of what has arrived, whatever the token: the longest multi-token finding the
     * detectors make (an IBAN in groups is 42 chars; a phone number's cue word may follow it by 20) and the text a
     * finding's end is judged on. About 16 tokens of an answer, so the IDE sees text almost as it is generated.
     */
    public static final int HOLD = 64;

    /** The most chars kept for an open private-key block; a longer one is no key, and the window moves on. */
    public static final int MAX_OPEN_BLOCK = 8192;

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

    /**
     * The offset before which text is final: no later finding can start before it, or one that does (longer than
     * {@link #HOLD} and made of several tokens) is cut from there on. It trails the end by {@link #HOLD} chars, or
     * stops at the start of the token still arriving, at most the look-back behind the end; and it stops at the
     * header of an open private-key block.
     */
    public long heldFrom() {
        long end = Math.max(position() - lookBack, Math.min(position() - HOLD, lastToken));
        return openBlock >= 0 ? Math.min(end, openBlock) : end;
    }

    /** Feeds the next text delta; returns the findings completed by it, with absolute offsets. */
    public List<Finding> feed(String delta) {
        window.append(delta);
        List<Finding> out = scan(false);
        openBlock = openBlock();
        int blank = delta.length();
        while (blank > 0 && !Character.isWhitespace(delta.charAt(blank - 1))) {
            blank--;
        }
        if (blank > 0) {
            lastToken = position() - delta.length() + blank;
        }
        trim();
        return out;
    }

    /**
     * The absolute offset of the last {@code -----BEGIN} in the window when it opens a private key (or its header is
     * still arriving) and is not closed yet, else -1. Past {@link #MAX_OPEN_BLOCK} chars it is -1.
     */
    private long openBlock() {
        int begin = window.lastIndexOf("-----BEGIN");
        if (begin < 0 || window.length() - begin > MAX_OPEN_BLOCK) {
            return -1;
        }
        // closed once text follows its END line: a finding that touches the end of the window is not reported yet
        int end = window.indexOf("-----END", begin);
        int close = end < 0 ? -1 : window.indexOf("-----", end + 8);
        if (close >= 0 && close + 5 < window.length()) {
            return -1;
        }
        int lineEnd = window.indexOf("\n", begin);
        int key = window.indexOf("PRIVATE KEY", begin);
        boolean open = lineEnd < 0 ? window.length() - begin < 128 : key >= 0 && key < lineEnd;
        return open ? base + begin : -1;
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

    /** Keeps the look-back behind the end as context, and an open private-key block whole. */
    private void trim() {
        long keep = position() - lookBack;
        int excess = (int) ((openBlock >= 0 ? Math.min(keep, openBlock) : keep) - base);
        if (excess > 0) {
            window.delete(0, excess);
            base += excess;
            long floor = base;
            reported.removeIf(k -> Long.parseLong(k.substring(k.lastIndexOf(':') + 1)) < floor - lookBack);
        }
    }
}
