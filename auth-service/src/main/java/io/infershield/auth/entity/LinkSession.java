package io.infershield.auth.entity;

import java.time.Instant;
import java.util.UUID;

/**
 * One attempt of a developer to link an upstream account: a device flow that auth-service runs as the client of the
 * provider. The device code is held only as ciphertext, erased once the session ends.
 *
 * @param deviceCodeCiphertext the AES-256-GCM ciphertext of the upstream device code; null once the session ended
 * @param error                the provider's error code or the gateway's reason when {@link LinkState#FAILED}
 */
public record LinkSession(UUID id, String tenant, String subject, String provider, LinkState state,
        byte[] deviceCodeCiphertext, String userCode, String verificationUri, String verificationUriComplete,
        int intervalSeconds, Instant expiresAt, String error, Instant createdAt, Instant updatedAt) {

    @Override
    public String toString() {
        return "LinkSession[id=" + id + ", provider=" + provider + ", state=" + state + "]";
    }
}
