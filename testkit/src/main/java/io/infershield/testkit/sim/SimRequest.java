package io.infershield.testkit.sim;

import java.util.Map;

/**
 * One request a simulator received: method, path (without the query), query string (or null), every request header
 * (names lower-cased, first value) and the raw body. Tests use it to assert what a client actually sent.
 */
public record SimRequest(String method, String path, String query, Map<String, String> headers, String body) {

    /** The header value, by case-insensitive name, or null. */
    public String header(String name) {
        return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }
}
