package io.infershield.auth.service;

import io.infershield.auth.config.AuthConfig;
import io.infershield.auth.entity.CredentialKind;
import io.infershield.auth.entity.GatewayCredential;
import io.infershield.auth.repository.GatewayCredentialRepository;
import io.infershield.events.AuthEvent;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Issuing, refreshing (RFC 6749 §6), introspecting (RFC 7662) and revoking (RFC 7009) gateway credentials. Refresh
 * tokens rotate: each is exchanged once, and a second exchange revokes its whole family (RFC 9700 §4.14.2).
 */
@ApplicationScoped
public class CredentialService {

    private final AuthConfig config;
    private final Clock clock;
    private final ClientRegistry clients;
    private final GatewayCredentialRepository credentials;
    private final AuthEvents events;
    private final DisabledUsers disabledUsers;

    CredentialService(AuthConfig config, Clock clock, ClientRegistry clients, GatewayCredentialRepository credentials,
                      AuthEvents events, DisabledUsers disabledUsers) {
        this.config = config;
        this.clock = clock;
        this.clients = clients;
        this.credentials = credentials;
        this.events = events;
        this.disabledUsers = disabledUsers;
    }

    /** A credential pair just issued; the only time the raw values exist. */
    public record IssuedCredential(String accessToken, String refreshToken, long expiresIn, String scope) {
    }

    /** The user a credential was issued to, the tenant it was issued in, and the groups it carries. */
    public record CredentialOwner(String tenant, String subject, List<String> groups) {
    }

    /** An active credential as introspection reports it (RFC 7662 §2.2). */
    public record ActiveCredential(String subject, String tenant, String clientId, String scope, List<String> groups,
                                   long issuedAt, long expiresAt) {
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

    /**
     * Issues an access credential and a refresh token in {@code familyId}, within the caller's transaction, and
     * records {@code eventType} about the new access credential. A device grant starts a family (its id is the
     * grant's); each refresh continues it, with the same groups.
     */
    public Uni<IssuedCredential> issuePair(String eventType, UUID familyId, String subject, String clientId,
                                           String scope, List<String> groups, Instant now) {
        String access = Secrets.CREDENTIAL_PREFIX + Secrets.randomToken();
        String refresh = Secrets.REFRESH_TOKEN_PREFIX + Secrets.randomToken();
        GatewayCredential accessCredential = newCredential(CredentialKind.ACCESS, access, familyId, subject, clientId,
                scope, groups, now, config.accessTokenLifetime());
        return credentials.persist(accessCredential)
                .call(() -> credentials.persist(newCredential(CredentialKind.REFRESH, refresh, familyId, subject,
                        clientId, scope, groups, now, config.refreshTokenLifetime())))
                .call(() -> events.record(eventType, subject,
                        new AuthEvent(clientId, familyId, accessCredential.id, AuthEvent.ACCESS, null, null)))
                .replaceWith(new IssuedCredential(access, refresh, config.accessTokenLifetime().toSeconds(), scope));
    }

    GatewayCredential newCredential(CredentialKind kind, String token, UUID familyId, String subject,
                                    String clientId, String scope, List<String> groups, Instant now,
                                    Duration lifetime) {
        GatewayCredential credential = new GatewayCredential();
        credential.id = UUID.randomUUID();
        credential.kind = kind;
        credential.familyId = familyId;
        credential.tokenHash = Secrets.sha256Hex(token);
        credential.subject = subject;
        credential.tenant = config.tenant();
        credential.clientId = clientId;
        credential.scope = scope;
        credential.groups = groups.toArray(String[]::new);
        credential.issuedAt = now;
        credential.expiresAt = now.plus(lifetime);
        return credential;
    }

    /**
     * Exchanges a refresh token for a new pair (RFC 6749 §6) and retires it. A refresh token that was already
     * exchanged is a sign it leaked: the whole family is revoked (RFC 9700 §4.14.2). Every refusal is the same
     * invalid_grant, so the answer does not tell a thief which case it hit.
     */
    public Uni<IssuedCredential> refresh(String clientId, String refreshToken) {
        clients.requireGrant(clientId, ClientRegistry.REFRESH_TOKEN_GRANT);
        Instant now = clock.instant();
        return Panache.withTransaction(() -> credentials.findByTokenHash(Secrets.sha256Hex(refreshToken))
                        .flatMap(credential -> rotate(credential, clientId, now)))
                .map(outcome -> {
                    if (outcome == null) {
                        throw OAuthError.invalidRefreshToken();
                    }
                    return outcome;
                });
    }

    /** Null for a refusal, so that the transaction still commits a family revocation. */
    private Uni<IssuedCredential> rotate(GatewayCredential refresh, String clientId, Instant now) {
        // RFC 6749 §6: the refresh token is bound to the client it was issued to
        if (refresh == null || refresh.kind != CredentialKind.REFRESH || !refresh.clientId.equals(clientId)
                || !refresh.isActiveAt(now)) {
            return Uni.createFrom().nullItem();
        }
        if (refresh.usedAt != null) {
            return revokeReusedFamily(refresh, now);
        }
        // a disabled user's refresh tokens are revoked; this holds in a race with the disable too (the user's lock)
        return disabledUsers.lockAndCheck(refresh.subject).flatMap(disabled -> disabled
                ? Uni.createFrom().nullItem()
                : exchange(refresh, now));
    }

    private Uni<IssuedCredential> exchange(GatewayCredential refresh, Instant now) {
        return credentials.markUsed(refresh.id, now).flatMap(won -> won
                ? issuePair(AuthEvent.CREDENTIAL_REFRESHED, refresh.familyId, refresh.subject, refresh.clientId,
                        refresh.scope, List.of(refresh.groups), now)
                // a parallel exchange of the same token won: that too is reuse
                : revokeReusedFamily(refresh, now));
    }

    private Uni<IssuedCredential> revokeReusedFamily(GatewayCredential refresh, Instant now) {
        return credentials.revokeFamily(refresh.familyId, now)
                .call(revoked -> recordRevoked(refresh, revoked, AuthEvent.REASON_REFRESH_TOKEN_REUSED))
                .map(revoked -> (IssuedCredential) null);
    }

    /** Reports a revocation that changed something; revoking what was already revoked is not news. */
    Uni<Void> recordRevoked(GatewayCredential credential, int revoked, String reason) {
        if (revoked == 0) {
            return Uni.createFrom().voidItem();
        }
        // a personal key comes from no device grant
        UUID grantId = credential.kind == CredentialKind.PERSONAL_KEY ? null : credential.familyId;
        return events.record(AuthEvent.CREDENTIAL_REVOKED, credential.subject, new AuthEvent(credential.clientId,
                grantId, credential.id, kindOf(credential.kind), reason, null));
    }

    static String kindOf(CredentialKind kind) {
        return switch (kind) {
            case ACCESS -> AuthEvent.ACCESS;
            case REFRESH -> AuthEvent.REFRESH;
            case PERSONAL_KEY -> AuthEvent.PERSONAL_KEY;
        };
    }

    /**
     * The attributes of an access credential or personal key that is active now; null for unknown, expired and
     * revoked ones alike, for refresh tokens, which never authorize a call, and for any credential of a disabled user,
     * even one that escaped the disable's revocation.
     */
    public Uni<ActiveCredential> introspect(String token) {
        return Panache.withSession(() -> credentials.findByTokenHash(Secrets.sha256Hex(token)))
                .chain(credential -> credential == null || !credential.kind.authorizesGatewayCalls()
                        || !credential.isActiveAt(clock.instant())
                        ? Uni.createFrom().<ActiveCredential>nullItem()
                        : disabledUsers.isDisabled(credential.subject)
                                .map(disabled -> disabled ? null : describe(credential)));
    }

    /**
     * Who holds {@code token}, if it is a device access credential that is active now; null for unknown, expired and
     * revoked ones, and for refresh tokens and personal keys, so that a leaked personal key cannot mint itself
     * successors.
     */
    public Uni<CredentialOwner> accessCredentialOwner(String token) {
        return Panache.withSession(() -> credentials.findByTokenHash(Secrets.sha256Hex(token)))
                .map(credential -> credential == null || credential.kind != CredentialKind.ACCESS
                        || !credential.isActiveAt(clock.instant())
                        ? null : new CredentialOwner(credential.tenant, credential.subject, List.of(credential.groups)));
    }

    private static ActiveCredential describe(GatewayCredential credential) {
        return new ActiveCredential(credential.subject, credential.tenant, credential.clientId, credential.scope,
                List.of(credential.groups), credential.issuedAt.getEpochSecond(),
                credential.expiresAt.getEpochSecond());
    }

    /**
     * Revokes a credential issued to {@code clientId} (RFC 7009 §2.1). Revoking a refresh token revokes its whole
     * family, access credentials included (§2.1). An unknown token is not an error (§2.2); a token of another client
     * is refused and stays valid.
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
                    return (credential.kind == CredentialKind.REFRESH
                            ? credentials.revokeFamily(credential.familyId, clock.instant())
                            : credentials.revoke(credential.id, clock.instant()))
                            .flatMap(revoked -> recordRevoked(credential, revoked, AuthEvent.REASON_CLIENT_REQUEST));
                }));
    }

    /**
     * Revokes every credential of {@code subject}, for an administrator. Reports one revocation per family, since a
     * family is what one device sign-in produced, and one per personal key. A user without credentials is not an
     * error.
     */
    public Uni<Void> revokeAllOf(String subject) {
        Instant now = clock.instant();
        return Panache.withTransaction(() -> credentials.findUnrevokedOf(subject).flatMap(unrevoked -> {
            Map<UUID, GatewayCredential> firstOfFamily = new LinkedHashMap<>();
            unrevoked.forEach(credential -> firstOfFamily.putIfAbsent(credential.familyId, credential));
            return credentials.revokeAllOf(subject, now)
                    .chain(() -> Multi.createFrom().iterable(firstOfFamily.values())
                            .onItem().transformToUniAndConcatenate(first -> events.record(
                                    AuthEvent.CREDENTIAL_REVOKED, subject, familyRevokedByAdmin(first)))
                            .collect().last())
                    .replaceWithVoid();
        }));
    }

    private static AuthEvent familyRevokedByAdmin(GatewayCredential first) {
        return first.kind == CredentialKind.PERSONAL_KEY
                ? new AuthEvent(first.clientId, null, first.id, AuthEvent.PERSONAL_KEY, AuthEvent.REASON_ADMIN, null)
                : new AuthEvent(first.clientId, first.familyId, null, null, AuthEvent.REASON_ADMIN, null);
    }
}
