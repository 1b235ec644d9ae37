package io.infershield.token.rest;

import jakarta.ws.rs.core.Response;

/**
 * An RFC 9457 problem detail. Where the status says all a caller needs, the type is {@code about:blank}
 * (RFC 9457 §4.2.1); the problems a caller acts on ({@code no-credential}, {@code link-broken},
 * {@code vault-unavailable}, …) have a type of their own, {@code urn:infershield:problem:<name>}. The title is the
 * status's reason phrase, and the detail says why in words safe to show any caller.
 */
public record Problem(String type, String title, int status, String detail) {

    /** The media type of RFC 9457 §3. */
    public static final String MEDIA_TYPE = "application/problem+json";
    /** The prefix of this service's problem types. */
    public static final String TYPE_PREFIX = "urn:infershield:problem:";

    static Problem of(Response.StatusType status, String detail) {
        return new Problem("about:blank", status.getReasonPhrase(), status.getStatusCode(), detail);
    }

    static Problem of(String name, Response.StatusType status, String detail) {
        return new Problem(TYPE_PREFIX + name, status.getReasonPhrase(), status.getStatusCode(), detail);
    }
}
