package io.infershield.auth.link;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A validated device authorization response (RFC 8628 §3.2) from an upstream provider.
 * {@link #userCode()} and {@link #verificationUri()} are meant for the developer's eyes (checklist B8);
 * {@link #deviceCode()} is for the token endpoint only, and {@link #toString()} shows neither code.
 */
public record DeviceAuthorizationResponse(
        DeviceCode deviceCode,
        String userCode,
        URI verificationUri,
        Optional<URI> verificationUriComplete,
        Duration expiresIn,
        Duration interval) {

    /** RFC 8628 §3.2: "If no value is provided, clients MUST use 5 as the default." */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);

    public DeviceAuthorizationResponse {
        Objects.requireNonNull(deviceCode, "deviceCode");
        Objects.requireNonNull(userCode, "userCode");
        Objects.requireNonNull(verificationUri, "verificationUri");
        Objects.requireNonNull(verificationUriComplete, "verificationUriComplete");
        Objects.requireNonNull(expiresIn, "expiresIn");
        Objects.requireNonNull(interval, "interval");
        // adapters for non-standard providers build this record themselves; the poller needs both to be positive
        if (expiresIn.isNegative() || expiresIn.isZero() || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("expiresIn and interval must be positive");
        }
    }

    /**
     * Parses and validates a device authorization response body, JSON or form-encoded (checklist B1, B7).
     *
     * @param body        the response body
     * @param contentType the response's Content-Type header, or null
     * @throws InvalidProviderResponse naming the missing or mistyped field, or the provider's error code
     */
    public static DeviceAuthorizationResponse parse(String body, String contentType) {
        try {
            return read(OAuthBodies.parse(body, contentType));
        } catch (InvalidProviderResponse e) {
            throw new InvalidProviderResponse("Invalid device authorization response: " + e.getMessage() + ".");
        }
    }

    private static DeviceAuthorizationResponse read(ObjectNode fields) {
        Optional<String> error = OAuthBodies.error(fields);
        if (error.isPresent()) {
            throw new InvalidProviderResponse("the provider refused the request with " + error.get());
        }
        String deviceCode = required(fields, "device_code");
        String userCode = required(fields, "user_code");
        URI verificationUri = uri(fields, "verification_uri")
                .orElseThrow(() -> new InvalidProviderResponse("'verification_uri' is missing"));
        Optional<URI> verificationUriComplete = uri(fields, "verification_uri_complete");
        // RFC 8628 §3.2 makes expires_in REQUIRED; without it there is no deadline to stop polling at (checklist B6)
        long expiresIn = OAuthBodies.seconds(fields, "expires_in")
                .orElseThrow(() -> new InvalidProviderResponse("'expires_in' is missing"));
        OptionalLong interval = OAuthBodies.seconds(fields, "interval");
        return new DeviceAuthorizationResponse(new DeviceCode(deviceCode), userCode, verificationUri,
                verificationUriComplete, Duration.ofSeconds(expiresIn),
                interval.isPresent() ? Duration.ofSeconds(interval.getAsLong()) : DEFAULT_INTERVAL);
    }

    private static String required(ObjectNode fields, String name) {
        return OAuthBodies.string(fields, name).filter(value -> !value.isBlank())
                .orElseThrow(() -> new InvalidProviderResponse("'" + name + "' is missing"));
    }

    private static Optional<URI> uri(ObjectNode fields, String name) {
        Optional<String> text = OAuthBodies.string(fields, name);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(text.get());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            // the developer is sent to this address: only a web page will do, never javascript: or file:
            if ((scheme.equals("https") || scheme.equals("http")) && uri.getHost() != null) {
                return Optional.of(uri);
            }
        } catch (URISyntaxException e) {
            // reported below, without quoting the value
        }
        throw new InvalidProviderResponse("'" + name + "' must be an absolute http(s) URI");
    }

    @Override
    public String toString() {
        return "DeviceAuthorizationResponse[verificationUri=" + verificationUri + ", expiresIn=" + expiresIn
                + ", interval=" + interval + "]";
    }
}
