package io.infershield.auth.client;

import io.infershield.auth.config.AuthConfig;
import io.infershield.auth.link.LinkOutcome;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Where linked tokens go: token-service, the vault. auth-service hands a token over once and never keeps it. Timeouts
 * come from {@code quarkus.rest-client.token-service.*}. Failures of the developer's own calls are not retried here,
 * since each caller has its own answer to them (a failed link, or a 503 to the developer); the revocation of a disabled
 * user's links is retried a few times with back-off ({@code auth.disable.*}), within a deadline.
 */
@ApplicationScoped
public class TokenVault {

    private static final Logger LOG = Logger.getLogger(TokenVault.class);
    private static final Pattern SECONDS = Pattern.compile("[0-9]{1,9}");
    /** The users token-service can hold links for (its {@code ProviderLink.SUBJECT_PATTERN}); nobody else has any. */
    private static final Pattern LINK_OWNER = Pattern.compile("[A-Za-z0-9._@+:-]{1,255}");
    /** Why the links are revoked, as token-service's events say. */
    static final String PURPOSE_DISABLE = "disable";

    private final TokenServiceClient client;
    private final AuthConfig.Disable disable;

    TokenVault(@RestClient TokenServiceClient client, AuthConfig config) {
        this.client = client;
        this.disable = config.disable();
    }

    /** Whether token-service can hold links for {@code user} at all; for any other name there is nothing to revoke. */
    public static boolean mayHoldLinks(String user) {
        return LINK_OWNER.matcher(user).matches();
    }

    /** token-service's description of a link; never a token. */
    public record LinkMetadata(String provider, String state, List<String> scopes, String linkedAt, String expiresAt,
            String lastRefreshAt, String brokenReason) {
    }

    /** token-service could not be reached or refused the call. */
    public static class Unavailable extends RuntimeException {

        private final String reason;

        Unavailable(String reason) {
            super("token-service is unavailable", null, false, false);
            this.reason = reason;
        }

        /** What went wrong, fit for a log line and a database column: {@code http_503}, {@code timeout}, … */
        public String reason() {
            return reason;
        }
    }

    /** Stores the tokens of a successful flow for {@code user}, replacing an earlier link of the provider. */
    public Uni<Void> store(String tenant, String user, String provider, LinkOutcome.Success tokens) {
        TokenServiceClient.NewLink link = new TokenServiceClient.NewLink(tokens.accessToken(),
                tokens.fields().get("refresh_token"), expiresIn(tokens),
                tokens.scopes().stream().sorted().toList(), tokens.tokenType().orElse(null));
        return client.store(tenant, user, provider, link).replaceWithVoid();
    }

    /** The user's links. */
    public Uni<List<LinkMetadata>> list(String tenant, String user) {
        return client.list(tenant, user)
                .map(list -> list == null || list.links() == null ? List.<LinkMetadata>of() : list.links())
                .onFailure().transform(TokenVault::unavailable);
    }

    /** Removes the user's link of {@code provider}; false when there was none. */
    public Uni<Boolean> delete(String tenant, String user, String provider) {
        return client.delete(tenant, user, provider).replaceWith(true)
                .onFailure(TokenVault::notFound).recoverWithItem(false)
                .onFailure().transform(TokenVault::unavailable);
    }

    /**
     * Revokes every link of {@code user} in token-service, for a disabled user, and answers how many it revoked.
     * Connection failures, timeouts, 429 and 5xx answers are retried with back-off within
     * {@code auth.disable.link-revocation-timeout}; any failure left is {@link Unavailable}, with
     * {@link Unavailable#reason()} saying which.
     */
    public Uni<Integer> revokeAll(String tenant, String user) {
        return Uni.createFrom().deferred(() -> client.revokeAll(tenant, user, PURPOSE_DISABLE))
                .map(revoked -> revoked == null ? 0 : revoked.revoked())
                .onFailure(TokenVault::transientFailure).retry()
                .withBackOff(disable.linkRevocationBackoff(), disable.linkRevocationBackoff().multipliedBy(8))
                .atMost(Math.max(0, disable.linkRevocationAttempts() - 1))
                .ifNoItem().after(disable.linkRevocationTimeout()).fail()
                .onFailure().transform(TokenVault::unavailable);
    }

    private static boolean transientFailure(Throwable failure) {
        if (failure instanceof WebApplicationException answer) {
            int status = answer.getResponse().getStatus();
            return status == 429 || status >= 500;
        }
        return true;
    }

    private static boolean notFound(Throwable failure) {
        return failure instanceof WebApplicationException answer && answer.getResponse().getStatus() == 404;
    }

    private static Throwable unavailable(Throwable failure) {
        if (failure instanceof Unavailable already) {
            return already;
        }
        String reason = failure instanceof WebApplicationException answer ? "http_" + answer.getResponse().getStatus()
                : failure instanceof io.smallrye.mutiny.TimeoutException ? "timeout" : "unreachable";
        LOG.warnf("token-service call failed: %s (%s)", reason, failure instanceof WebApplicationException
                ? "HTTP answer" : failure.getClass().getSimpleName());
        return new Unavailable(reason);
    }

    /** RFC 6749 §5.1 expires_in, which form-encoded answers carry as a string. */
    private static Long expiresIn(LinkOutcome.Success tokens) {
        String value = tokens.fields().get("expires_in");
        return value != null && SECONDS.matcher(value.strip()).matches() ? Long.valueOf(value.strip()) : null;
    }
}
