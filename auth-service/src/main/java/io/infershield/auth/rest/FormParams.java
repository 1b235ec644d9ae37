package io.infershield.auth.rest;

import io.infershield.auth.service.OAuthError;

import java.util.List;

/**
 * Reads single-valued OAuth form parameters. RFC 6749 §3.1 says parameters must not be repeated and that an empty
 * value counts as absent.
 */
final class FormParams {

    private FormParams() {
    }

    /** The value, or null when the parameter is absent or empty; invalid_request when it is repeated. */
    static String optional(String name, List<String> values) {
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw OAuthError.invalidRequest("Parameter '" + name + "' is repeated.");
        }
        String value = values.get(0);
        return value == null || value.isEmpty() ? null : value;
    }

    /** The value; invalid_request when it is absent, empty or repeated. */
    static String required(String name, List<String> values) {
        String value = optional(name, values);
        if (value == null) {
            throw OAuthError.invalidRequest("Parameter '" + name + "' is missing.");
        }
        return value;
    }
}
