package io.infershield.auth.link;

import java.util.Objects;

/**
 * The upstream device_code. Only the token-endpoint transport reads {@link #value()}; {@link #toString()} never shows it,
 * so a log line or exception message that mentions the code by accident stays harmless (checklist B8).
 */
public record DeviceCode(String value) {

    public DeviceCode {
        Objects.requireNonNull(value, "device code");
    }

    @Override
    public String toString() {
        return "DeviceCode[redacted]";
    }
}
