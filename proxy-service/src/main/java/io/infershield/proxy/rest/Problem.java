package io.infershield.proxy.rest;

import jakarta.ws.rs.core.Response;

/**
 * An RFC 9457 problem detail, the error shape of the admin API. The type is {@code about:blank} (RFC 9457 §4.2.1):
 * the status says what a caller needs; the detail says why in words safe to show any caller.
 */
public record Problem(String type, String title, int status, String detail) {

    /** The media type of RFC 9457 §3. */
    public static final String MEDIA_TYPE = "application/problem+json";

    static Problem of(Response.StatusType status, String detail) {
        return new Problem("about:blank", status.getReasonPhrase(), status.getStatusCode(), detail);
    }
}
