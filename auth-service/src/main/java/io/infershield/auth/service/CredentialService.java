package io.infershield.auth.service;

import io.infershield.auth.config.AuthConfig;
import io.infershield.auth.entity.GatewayCredential;
import io.infershield.auth.repository.GatewayCredentialRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/** Introspection (RFC 7662) and revocation (RFC 7009) of gateway credentials. */
@ApplicationScoped
public class CredentialService {

    private final AuthConfig config;
    private final Clock clock;
    private final ClientRegistry clients;
    private final GatewayCredentialRepository credentials;

    CredentialService(AuthConfig config, Clock clock, ClientRegistry clients, GatewayCredentialRepository credentials) {
        this.config = config;
        this.clock = clock;
        this.clients = clients;
        this.credentials = credentials;
    }

    /** An active credential as introspection reports it (RFC 7662 §2.2). */
    public record ActiveCredential(String subject, String tenant, String clientId, String scope, long issuedAt,
                                   long expiresAt) {
    }

    /**
     * Fails with invalid_client (and a Basic challenge) unless the caller is the configured introspection client.
     * Both parts are compared in constant time, so timing reveals neither.
     */
    public void authenticateIntrospectionCaller(String clientId, String clientSecret) {
        // RFC 6749 §2.3.1 has clients form-encode both parts inside the Basic header, and many clients skip that; both
        // forms are accepted, since each carries the same secret ('+' in a base64 secret is where they differ).
        if (!(matchesCaller(clientId, clientSecret) | matchesCaller(formDecode(clientId), formDecode(clientSecret)))) {
            throw OAuthError.invalidClientBasic();
        }
    }

    private boolean matchesCaller(String clientId, String clientSecret) {
        if (clientId == null || clientSecret == null) {
            return false;
        }
        AuthConfig.Introspection expected = config.introspection();
        return Secrets.constantTimeEquals(clientId, expected.clientId())
                & Secrets.constantTimeEquals(clientSecret, expected.clientSecret());
    }

    private static String formDecode(String value) {
        try {
            return URLDecoder.decode(value, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return null;
        }
    }

    /** The credential's attributes when it is active now; null for unknown, expired and revoked ones alike. */
    public Uni<ActiveCredential> introspect(String token) {
        return Panache.withSession(() -> credentials.findByTokenHash(Secrets.sha256Hex(token)))
                .map(credential -> credential == null || !credential.isActiveAt(clock.instant()) ? null : describe(credential));
    }

    private static ActiveCredential describe(GatewayCredential credential) {
        return new ActiveCredential(credential.subject, credential.tenant, credential.clientId, credential.scope,
                credential.issuedAt.getEpochSecond(), credential.expiresAt.getEpochSecond());
    }

    /**
     * Revokes a credential issued to {@code clientId} (RFC 7009 §2.1). An unknown token is not an error (§2.2); a
     * token of another client is refused and stays valid.
     */
    public Uni<Void> revoke(String clientId, String token) {
        clients.requireKnown(clientId);
        return Panache.withTransaction(() -> credentials.findByTokenHash(Secrets.sha256Hex(token))
                .flatMap(credential -> {
                    if (credential == null) {
                        return Uni.createFrom().voidItem();
                    }
                    if (!credential.clientId.equals(clientId)) {
                        return Uni.createFrom().failure(OAuthError.invalidRequest("The token was not issued to this client."));
                    }
                    return credentials.revoke(credential.id, clock.instant()).replaceWithVoid();
                }));
    }
}
