package io.infershield.token.service;

import io.infershield.token.config.TokenConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Checks the internal caller's shared secret, a stop-gap until Keycloak client credentials replace it
 * (docs/architecture.md, service-to-service calls).
 */
@ApplicationScoped
public class InternalCallerAuthenticator {

    private final String clientId;
    private final byte[] clientIdDigest;
    private final byte[] secretDigest;

    InternalCallerAuthenticator(TokenConfig config) {
        this.clientId = config.internal().clientId();
        this.clientIdDigest = sha256(clientId);
        this.secretDigest = sha256(config.internal().clientSecret());
    }

    /** The id of the one caller this service knows. */
    public String clientId() {
        return clientId;
    }

    /** Whether the presented id and secret are the configured ones, in time that depends on neither. */
    public boolean authenticates(String presentedId, String presentedSecret) {
        // Digests have equal length, so the comparison leaks neither the secret's content nor its length;
        // & rather than && so that both comparisons always run.
        boolean idMatches = MessageDigest.isEqual(clientIdDigest, sha256(presentedId));
        boolean secretMatches = MessageDigest.isEqual(secretDigest, sha256(presentedSecret));
        return idMatches & secretMatches;
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
