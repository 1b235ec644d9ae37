package io.infershield.auth.link;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One answer of an upstream token endpoint to a device_code poll, as the transport received it.
 * {@link #toString()} leaves the body out: on success it holds the upstream token.
 *
 * @param status  the HTTP status
 * @param headers the response headers (names are matched case-insensitively)
 * @param body    the response body, JSON or form-encoded
 */
public record TokenEndpointResponse(int status, Map<String, List<String>> headers, String body) {

    public TokenEndpointResponse {
        TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
        headers = copy;
        Objects.requireNonNull(body, "body");
    }

    /** The first value of a header, matched case-insensitively (RFC 9110 §5.1). */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    @Override
    public String toString() {
        return "TokenEndpointResponse[status=" + status + ", body=" + body.length() + " chars]";
    }
}
