package io.infershield.events;

import java.util.List;

/**
 * Body of {@code proxy.request.completed} (version 1), published by proxy-service once per request it answered,
 * forwarded or not. It carries counts and outcomes only, never the prompt or the completion. {@code usage} was added
 * within version 1: it is optional, and consumers that do not know it ignore it.
 *
 * @param requestId   the gateway's request id, also returned to the client as {@code x-request-id}
 * @param endpoint    the API path the client called, for example {@code /v1/chat/completions}
 * @param model       the model the client asked for, or {@code null} when the request was rejected before parsing
 * @param stream      whether the client asked for a streamed answer
 * @param status      the HTTP status the client received
 * @param errorCode   the error code the client received, or {@code null} on success
 * @param upstream    the upstream provider the request went to, or {@code null} if it was not forwarded
 * @param credential  how the upstream call was authorised ({@code org-key} or {@code user-token}), or {@code null}
 * @param latencyMs   wall time from the first byte in to the last byte out, in milliseconds
 * @param bytesIn     size of the request body in bytes
 * @param bytesOut    size of the response body in bytes
 * @param decision    what the security layer did with the request: {@code allow}, {@code redact} or {@code block};
 *                    {@code null} when the request was rejected before it was scanned
 * @param findings    what the detectors found in the prompt and the response, never the text itself
 * @param usage       the tokens the upstream's successful answer cost; {@code null} when nothing was forwarded, the
 *                    upstream failed, or the endpoint costs no tokens ({@code /v1/models}, {@code count_tokens})
 */
public record ProxyRequestCompleted(String requestId, String endpoint, String model, boolean stream, int status,
        String errorCode, String upstream, String credential, long latencyMs, long bytesIn, long bytesOut,
        String decision, List<SecurityFinding> findings, TokenUsage usage) {

    public ProxyRequestCompleted {
        findings = findings == null ? List.of() : List.copyOf(findings);
    }

    /** An event without usage, as producers built it before {@code usage} existed. */
    public ProxyRequestCompleted(String requestId, String endpoint, String model, boolean stream, int status,
            String errorCode, String upstream, String credential, long latencyMs, long bytesIn, long bytesOut,
            String decision, List<SecurityFinding> findings) {
        this(requestId, endpoint, model, stream, status, errorCode, upstream, credential, latencyMs, bytesIn, bytesOut,
                decision, findings, null);
    }

    public static final String TYPE = "proxy.request.completed";
    public static final int VERSION = 1;
}
