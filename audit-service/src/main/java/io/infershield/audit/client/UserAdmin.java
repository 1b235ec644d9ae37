package io.infershield.audit.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Map;

/**
 * The dashboard's user management: disabling a developer (every credential and provider token revoked, sign-in
 * refused) and enabling them again, done by auth-service on the administrator's own authority, their bearer token,
 * so auth-service checks the role and records who did it. One attempt with a timeout: a disable is safe to repeat,
 * and the administrator sees at once whether it took effect.
 */
@ApplicationScoped
public class UserAdmin {

    private static final Logger LOG = Logger.getLogger(UserAdmin.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    /**
     * A user's state as auth-service reports it.
     *
     * @param disabled      whether the user is disabled
     * @param linksPending  whether revoking their provider tokens is still owed (token-service was unreachable)
     */
    public record State(String subject, boolean disabled, boolean linksPending) {
        static State of(String subject, JsonNode body) {
            return new State(subject, body.path("disabled").asBoolean(false),
                    body.path("linkRevocationPending").asBoolean(false) || body.path("linksRevoked").isNull());
        }
    }

    /** auth-service refused or could not be reached; {@code status} is the status to answer with (403 or 502). */
    public static final class Unavailable extends RuntimeException {
        private final int status;

        public Unavailable(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final AuthAdminApi api;

    UserAdmin(@RestClient AuthAdminApi api) {
        this.api = api;
    }

    /** The user's state, or null when auth-service cannot tell (the page shows the form without a state). */
    public Uni<State> state(String bearerToken, String subject) {
        return api.status("Bearer " + bearerToken, subject).ifNoItem().after(TIMEOUT).fail()
                .map(body -> State.of(subject, body))
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("state of a user could not be read from auth-service: %s", failure.getClass().getSimpleName());
                    return null;
                });
    }

    public Uni<State> disable(String bearerToken, String subject, String reason) {
        Map<String, String> body = reason == null || reason.isBlank() ? Map.of() : Map.of("reason", reason.strip());
        return call(subject, api.disable("Bearer " + bearerToken, subject, body));
    }

    public Uni<State> enable(String bearerToken, String subject) {
        return call(subject, api.enable("Bearer " + bearerToken, subject));
    }

    private static Uni<State> call(String subject, Uni<JsonNode> request) {
        return request.ifNoItem().after(TIMEOUT).fail()
                .map(body -> State.of(subject, body))
                .onFailure().recoverWithUni(failure -> {
                    if (failure instanceof WebApplicationException http) {
                        int status = http.getResponse().getStatus();
                        if (status == 503) {
                            // disabled, credentials revoked; revoking the provider tokens is owed and retried by auth-service
                            return Uni.createFrom().item(new State(subject, true, true));
                        }
                        if (status == 403 || status == 401) {
                            return Uni.createFrom().failure(new Unavailable(403,
                                    "auth-service refused: your roles do not allow managing users."));
                        }
                        if (status == 400) {
                            return Uni.createFrom().failure(new Unavailable(400,
                                    "auth-service refused the request: the reason must be at most 500 characters of text."));
                        }
                    }
                    LOG.warnf("auth-service could not manage a user: %s", failure.getClass().getSimpleName());
                    return Uni.createFrom().failure(new Unavailable(502,
                            "auth-service could not be reached; nothing was changed. Try again."));
                });
    }
}
