package io.infershield.auth.client;

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
 * come from {@code quarkus.rest-client.token-service.*}; failures are not retried here, since each caller has its own
 * answer to them (a failed link, or a 503 to the developer).
 */
@ApplicationScoped
public class TokenVault {

    private static final Logger LOG = Logger.getLogger(TokenVault.class);
    private static final Pattern SECONDS = Pattern.compile("[0-9]{1,9}");

    private final TokenServiceClient client;

    TokenVault(@RestClient TokenServiceClient client) {
        this.client = client;
    }

    /** token-service's description of a link; never a token. */
    public record LinkMetadata(String provider, String state, List<String> scopes, String linkedAt, String expiresAt,
            String lastRefreshAt, String brokenReason) {
    }

    /** token-service could not be reached or refused the call. */
    public static class Unavailable extends RuntimeException {

        Unavailable() {
            super("token-service is unavailable", null, false, false);
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

    private static boolean notFound(Throwable failure) {
        return failure instanceof WebApplicationException answer && answer.getResponse().getStatus() == 404;
    }

    private static Throwable unavailable(Throwable failure) {
        LOG.warnf("token-service call failed: %s", failure instanceof WebApplicationException answer
                ? "HTTP " + answer.getResponse().getStatus() : failure.getClass().getSimpleName());
        return new Unavailable();
    }

    /** RFC 6749 §5.1 expires_in, which form-encoded answers carry as a string. */
    private static Long expiresIn(LinkOutcome.Success tokens) {
        String value = tokens.fields().get("expires_in");
        return value != null && SECONDS.matcher(value.strip()).matches() ? Long.valueOf(value.strip()) : null;
    }
}
