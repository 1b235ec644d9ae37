package io.infershield.auth.service;

import io.infershield.auth.config.AuthConfig;
import io.infershield.auth.entity.DeviceGrant;
import io.infershield.auth.entity.GrantStatus;
import io.infershield.auth.repository.DeviceGrantRepository;
import io.infershield.auth.service.CredentialService.IssuedCredential;
import io.infershield.events.AuthEvent;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.exception.ConstraintViolationException;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The RFC 8628 device authorization grant: issuing codes, the user's decision and the device's polling. */
@ApplicationScoped
public class DeviceFlowService {

    /** RFC 8628 §3.5: each slow_down adds five seconds to the interval. */
    static final int SLOW_DOWN_SECONDS = 5;
    private static final String PENDING_USER_CODE_INDEX = "device_grant_pending_user_code_uk";
    /** A collision among 20^8 codes is rare; several in a row means something else is wrong. */
    private static final int USER_CODE_ATTEMPTS = 5;
    private static final int USER_AGENT_MAX = 512;

    private final AuthConfig config;
    private final Clock clock;
    private final ClientRegistry clients;
    private final UserCodes userCodes;
    private final DeviceGrantRepository grants;
    private final CredentialService credentials;
    private final AuthEvents events;
    private final DisabledUsers disabledUsers;

    DeviceFlowService(AuthConfig config, Clock clock, ClientRegistry clients, UserCodes userCodes,
                      DeviceGrantRepository grants, CredentialService credentials, AuthEvents events,
                      DisabledUsers disabledUsers) {
        this.disabledUsers = disabledUsers;
        this.config = config;
        this.clock = clock;
        this.clients = clients;
        this.userCodes = userCodes;
        this.grants = grants;
        this.credentials = credentials;
        this.events = events;
    }

    /** What the device authorization endpoint answers (RFC 8628 §3.2), before it is turned into URIs. */
    public record DeviceAuthorization(String deviceCode, String userCode, long expiresIn, long interval) {
    }

    /** What the verification page shows about a pending request (RFC 8628 §5.4: help the user spot phishing). */
    public record PendingRequest(String userCode, String clientId, String requesterIp, String requesterUserAgent,
                                 Instant requestedAt) {
    }

    /**
     * Starts a device grant (RFC 8628 §3.1). The requester's address and user agent are kept so the user can compare
     * them with their own device before approving.
     */
    public Uni<DeviceAuthorization> authorize(String clientId, String scope, String requesterIp, String userAgent) {
        clients.requireGrant(clientId, ClientRegistry.DEVICE_CODE_GRANT);
        String grantedScope = clients.grantedScope(clientId, scope);
        // deferred: each retry draws fresh codes and runs in a fresh transaction
        return Uni.createFrom().deferred(() -> insertGrant(clientId, grantedScope, requesterIp, userAgent))
                .onFailure(DeviceFlowService::isUserCodeCollision).retry().atMost(USER_CODE_ATTEMPTS - 1);
    }

    private Uni<DeviceAuthorization> insertGrant(String clientId, String scope, String requesterIp, String userAgent) {
        Instant now = clock.instant();
        String deviceCode = Secrets.randomToken();
        DeviceGrant grant = new DeviceGrant();
        grant.id = UUID.randomUUID();
        grant.deviceCodeHash = Secrets.sha256Hex(deviceCode);
        grant.userCode = userCodes.next();
        grant.clientId = clientId;
        grant.scope = scope;
        grant.status = GrantStatus.PENDING;
        grant.intervalSeconds = (int) config.pollInterval().toSeconds();
        grant.expiresAt = now.plus(config.deviceCodeLifetime());
        grant.requesterIp = requesterIp;
        grant.requesterUserAgent = truncate(userAgent);
        grant.createdAt = now;
        return Panache.withTransaction(() -> grants.persist(grant)
                        .call(() -> events.record(AuthEvent.DEVICE_REQUESTED, null,
                                new AuthEvent(clientId, grant.id, null, null, null, requesterIp))))
                .map(saved -> new DeviceAuthorization(deviceCode, UserCodes.display(saved.userCode),
                        config.deviceCodeLifetime().toSeconds(), saved.intervalSeconds));
    }

    private static boolean isUserCodeCollision(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConstraintViolationException violation) {
                String constraint = violation.getConstraintName();
                return constraint != null && constraint.contains(PENDING_USER_CODE_INDEX);
            }
        }
        return false;
    }

    /**
     * One poll of the token endpoint (RFC 8628 §3.4, §3.5). Fails with the §3.5 error for the grant's state; a poll
     * that comes too early is answered slow_down and lengthens the interval, and that change is kept even though the
     * poll fails.
     */
    public Uni<IssuedCredential> poll(String clientId, String deviceCode) {
        clients.requireGrant(clientId, ClientRegistry.DEVICE_CODE_GRANT);
        String hash = Secrets.sha256Hex(deviceCode);
        return Panache.withTransaction(() -> grants.findByDeviceCodeHash(hash)
                        .flatMap(grant -> answerPoll(grant, clientId, clock.instant())))
                .map(outcome -> {
                    if (outcome.error() != null) {
                        throw outcome.error();
                    }
                    return outcome.credential();
                });
    }

    /** Errors are returned, not thrown, so that the transaction commits what the poll changed. */
    private record PollOutcome(IssuedCredential credential, OAuthError error) {
        static Uni<PollOutcome> failed(OAuthError error) {
            return Uni.createFrom().item(new PollOutcome(null, error));
        }
    }

    private Uni<PollOutcome> answerPoll(DeviceGrant grant, String clientId, Instant now) {
        // RFC 8628 §3.4 binds the device code to the client it was issued to
        if (grant == null || !grant.clientId.equals(clientId) || grant.status == GrantStatus.EXCHANGED) {
            return PollOutcome.failed(OAuthError.invalidGrant());
        }
        if (grant.status == GrantStatus.DENIED) {
            // the device learns why, so that the CLI does not tell the developer they refused it themselves
            return disabledUsers.isDisabled(grant.subject).flatMap(disabled -> PollOutcome.failed(disabled
                    ? OAuthError.userDisabled() : OAuthError.accessDenied()));
        }
        if (grant.status == GrantStatus.EXPIRED) {
            return PollOutcome.failed(OAuthError.expiredToken());
        }
        if (!now.isBefore(grant.expiresAt)) {
            return expire(grant);
        }
        if (grant.status == GrantStatus.APPROVED) {
            // a disable refuses the grants its user approved; under the user's lock, so a racing poll learns it too
            return disabledUsers.lockAndCheck(grant.subject).flatMap(disabled -> disabled
                    ? PollOutcome.failed(OAuthError.userDisabled())
                    : grants.markExchanged(grant.id).flatMap(won -> won
                            ? issueCredential(grant, now).map(credential -> new PollOutcome(credential, null))
                            : PollOutcome.failed(OAuthError.invalidGrant())));
        }
        Instant earliest = grant.lastPolledAt == null ? null : grant.lastPolledAt.plusSeconds(grant.intervalSeconds);
        if (earliest != null && now.isBefore(earliest)) {
            return slowDown(grant, now);
        }
        return grants.recordPoll(grant.id, grant.lastPolledAt, now).flatMap(recorded -> recorded
                ? PollOutcome.failed(OAuthError.authorizationPending())
                // another poll of the same code got in between: this one came too early
                : slowDown(grant, now));
    }

    /** The first poll to meet the grant expired marks it so and reports it; a concurrent poll only answers. */
    private Uni<PollOutcome> expire(DeviceGrant grant) {
        return grants.markExpired(grant.id).call(won -> won
                        ? events.record(AuthEvent.DEVICE_EXPIRED, grant.subject,
                                new AuthEvent(grant.clientId, grant.id, null, null, null, null))
                        : Uni.createFrom().voidItem())
                .replaceWith(new PollOutcome(null, OAuthError.expiredToken()));
    }

    private Uni<PollOutcome> slowDown(DeviceGrant grant, Instant now) {
        return grants.slowDown(grant.id, SLOW_DOWN_SECONDS, now).replaceWith(PollOutcome.failed(OAuthError.slowDown()));
    }

    private Uni<IssuedCredential> issueCredential(DeviceGrant grant, Instant now) {
        // the grant's id names the family, so every credential can be traced back to the approval it came from
        return credentials.issuePair(AuthEvent.CREDENTIAL_ISSUED, grant.id, grant.subject, grant.clientId, grant.scope,
                List.of(grant.groups), now);
    }

    /**
     * Claims the pending, unexpired request a user code names for the signed-in {@code subject} and describes it.
     * RFC 8628 §5.5: once a user has the request in front of them, nobody else who learns the code can decide it.
     * Null for any other code and for a request another user claimed, so every failure looks the same.
     */
    public Uni<PendingRequest> claim(String canonicalUserCode, String subject) {
        Instant now = clock.instant();
        return Panache.withTransaction(() -> grants.findPendingByUserCode(canonicalUserCode, now)
                .flatMap(grant -> grant == null
                        ? Uni.createFrom().<PendingRequest>nullItem()
                        : grants.claim(grant.id, subject, now).map(claimed -> claimed
                                ? new PendingRequest(UserCodes.display(grant.userCode), grant.clientId,
                                        grant.requesterIp, grant.requesterUserAgent, grant.createdAt)
                                : null)));
    }

    /**
     * Approves or denies a pending request on behalf of the signed-in {@code subject} (RFC 8628 §5.5: the grant is
     * bound to whoever decides it), whose {@code groups} as of now every credential of the grant will carry. False if
     * the code names no pending request, including one already decided, and one another user claimed. An approval by
     * a disabled user fails with {@link UserDisabled}.
     */
    public Uni<Boolean> decide(String canonicalUserCode, boolean approve, String subject, List<String> groups) {
        GrantStatus decision = approve ? GrantStatus.APPROVED : GrantStatus.DENIED;
        Instant now = clock.instant();
        // a disabled user may still deny a request, which grants nothing
        Uni<Void> allowed = approve ? disabledUsers.requireEnabled(subject) : Uni.createFrom().voidItem();
        return Panache.withTransaction(() -> allowed.chain(() -> grants.findPendingByUserCode(canonicalUserCode, now))
                .flatMap(grant -> grant == null
                        ? Uni.createFrom().item(false)
                        : grants.decide(grant.id, decision, subject, groups, now).call(won -> won
                                ? events.record(approve ? AuthEvent.DEVICE_APPROVED : AuthEvent.DEVICE_DENIED, subject,
                                        new AuthEvent(grant.clientId, grant.id, null, null, null, null))
                                : Uni.createFrom().voidItem())));
    }

    private static String truncate(String userAgent) {
        return userAgent == null || userAgent.length() <= USER_AGENT_MAX ? userAgent : userAgent.substring(0, USER_AGENT_MAX);
    }
}
