package io.infershield.audit.rest;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem details object. {@code type} is {@code about:blank} throughout, so {@code title} is the HTTP
 * status phrase (RFC 9457 §4.2.1) and {@code detail} says what to fix.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail) {

    /** RFC 9457 §3: the media type of a problem details document. */
    public static final String MEDIA_TYPE = "application/problem+json";
}
