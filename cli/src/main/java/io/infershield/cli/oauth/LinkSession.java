package io.infershield.cli.oauth;

import java.net.URI;
import java.time.Instant;
import java.util.Optional;

/**
 * A link session at auth-service: the device flow it runs with the provider on the developer's behalf. A polled
 * session may lack the user code, verification URI and expiry, which only its start must carry.
 *
 * @param state {@code pending}, {@code linked}, {@code denied}, {@code expired}, {@code failed} or {@code cancelled}
 * @param error the provider's error code when the state is {@code failed}, else null
 */
public record LinkSession(String id, String provider, String state, String error, String userCode,
                          URI verificationUri, Optional<URI> verificationUriComplete, Instant expiresAt) {

    public boolean pending() {
        return "pending".equals(state);
    }
}
