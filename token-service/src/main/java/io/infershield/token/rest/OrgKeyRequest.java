package io.infershield.token.rest;

import io.infershield.token.entity.OrgKey;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** The body of {@code PUT …/org-keys/{provider}}. */
public record OrgKeyRequest(
        @NotNull
        @Size(min = OrgKey.API_KEY_MIN, max = OrgKey.API_KEY_MAX)
        @Pattern(regexp = OrgKey.API_KEY_PATTERN, message = "must be printable ASCII without spaces")
        String apiKey) {

    /** Keeps the key out of any log line that prints the request. */
    @Override
    public String toString() {
        return "OrgKeyRequest[apiKey=<redacted>]";
    }
}
