package io.infershield.cli.oauth;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** RFC 8628 §3.2 device authorization response. */
public record DeviceAuthorization(String deviceCode, String userCode, URI verificationUri,
                                  Optional<URI> verificationUriComplete, Duration expiresIn, Duration interval) {

    /** The device code is a bearer secret until it is redeemed (RFC 8628 §5.2): keep it out of any output. */
    @Override
    public String toString() {
        return "DeviceAuthorization[userCode=" + userCode + ", verificationUri=" + verificationUri + "]";
    }
}
