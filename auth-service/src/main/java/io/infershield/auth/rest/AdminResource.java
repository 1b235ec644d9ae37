package io.infershield.auth.rest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infershield.auth.service.CredentialService;
import io.infershield.auth.service.InvalidAdminRequest;
import io.infershield.auth.service.UserAdministration;
import io.infershield.events.UserEvent;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;

import java.util.Iterator;
import java.util.regex.Pattern;

/**
 * The admin API, for callers with a bearer token carrying the Keycloak realm role {@code admin}. Errors are
 * {@code application/problem+json} (RFC 9457).
 */
@Path(AdminResource.PATH)
@RolesAllowed(AdminResource.ADMIN_ROLE)
public class AdminResource {

    static final String PATH = "/api/admin";
    static final String ADMIN_ROLE = "admin";
    private static final int SUBJECT_MAX = 255;
    /** Tab and line breaks may format a reason; no other control character may reach the store, the log or the SIEM. */
    private static final Pattern FORBIDDEN_IN_REASON = Pattern.compile("[\\p{Cc}&&[^\\t\\n\\r]]");
    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final CredentialService credentials;
    private final UserAdministration users;
    private final SecurityIdentity identity;

    AdminResource(CredentialService credentials, UserAdministration users, SecurityIdentity identity) {
        this.credentials = credentials;
        this.users = users;
        this.identity = identity;
    }

    /** The answer to a disable: what this call revoked. */
    public record DisabledUser(String subject, boolean disabled, String disabledAt, int credentialsRevoked,
                               int linksRevoked) {
    }

    /** The answer to an enable. */
    public record EnabledUser(String subject, boolean disabled) {
    }

    /**
     * Where a user stands. {@code activeCredentials} counts the credentials that could be used now (access
     * credentials, refresh tokens, personal keys); {@code linkRevocationPending} is true while token-service has not
     * confirmed the revocation of a disabled user's provider links.
     */
    public record UserStatus(String subject, boolean disabled, String disabledAt, String disabledBy, String reason,
                             int activeCredentials, boolean linkRevocationPending) {
    }

    /** Revokes every credential of a user, for example when they leave or a device is lost; 204 even if none. */
    @DELETE
    @Path("/users/{subject}/credentials")
    public Uni<Response> revokeCredentials(@RestPath String subject) {
        return credentials.revokeAllOf(subject).replaceWith(Response.noContent().build());
    }

    /**
     * Disables a user: the kill switch. Optional JSON body {@code {"reason": "…"}} (at most 500 characters). 200 with
     * what this call revoked, also for a user already disabled (their first disable's time stays) and for a subject
     * never seen (SSO users exist before their first login); 503 problem with the same state when token-service did not
     * confirm the revocation of the provider links, which is then owed and retried: repeating the call is safe.
     */
    @POST
    @Path("/users/{subject}/disable")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<DisabledUser> disable(@RestPath String subject,
                                     @RestHeader(HttpHeaders.CONTENT_TYPE) String contentType, String body) {
        String user = validSubject(subject);
        String reason = reason(contentType, body);
        return users.disable(user, actor(), reason).map(done -> new DisabledUser(done.subject(), true,
                done.disabledAt().toString(), done.credentialsRevoked(), done.linksRevoked()));
    }

    /** Enables a disabled user again; restores nothing, the developer signs in again. 200 also if they were not disabled. */
    @POST
    @Path("/users/{subject}/enable")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<EnabledUser> enable(@RestPath String subject) {
        String user = validSubject(subject);
        return users.enable(user, actor()).map(was -> new EnabledUser(user, false));
    }

    @GET
    @Path("/users/{subject}")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<UserStatus> status(@RestPath String subject) {
        String user = validSubject(subject);
        return users.status(user).map(status -> status.disabled() == null
                ? new UserStatus(user, false, null, null, null, status.activeCredentials(),
                        status.linkRevocationPending())
                : new UserStatus(user, true, status.disabled().disabledAt().toString(), status.disabled().disabledBy(),
                        status.disabled().reason(), status.activeCredentials(), status.linkRevocationPending()));
    }

    /** The administrator, as events and the record name them: their {@code preferred_username}. */
    private String actor() {
        if (identity.getPrincipal() instanceof JsonWebToken jwt) {
            String username = jwt.getClaim("preferred_username");
            if (username != null && !username.isBlank()) {
                return username;
            }
            if (jwt.getSubject() != null) {
                return jwt.getSubject();
            }
        }
        return identity.getPrincipal().getName();
    }

    private static String validSubject(String subject) {
        if (subject == null || subject.isEmpty() || subject.length() > SUBJECT_MAX
                || subject.codePoints().anyMatch(Character::isISOControl)) {
            throw new InvalidAdminRequest("The subject must be 1 to " + SUBJECT_MAX
                    + " characters without control characters.");
        }
        return subject;
    }

    /** The reason of an optional {@code {"reason": "…"}} body; null without a body, a reason, or with a blank one. */
    private static String reason(String contentType, String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        if (contentType != null && !isJson(contentType)) {
            throw new InvalidAdminRequest("The body must be JSON (Content-Type: application/json), such as"
                    + " {\"reason\": \"…\"}.");
        }
        JsonNode tree;
        try {
            tree = JSON.readTree(body);
        } catch (JsonProcessingException malformed) {
            // the parser's message quotes the body: it is not passed on
            throw new InvalidAdminRequest("The body is not valid JSON: send an object such as {\"reason\": \"…\"},"
                    + " with each member once.");
        }
        if (tree == null || !tree.isObject()) {
            throw new InvalidAdminRequest("The body must be a JSON object, such as {\"reason\": \"…\"}.");
        }
        for (Iterator<String> names = tree.fieldNames(); names.hasNext(); ) {
            if (!"reason".equals(names.next())) {
                throw new InvalidAdminRequest("The body may hold only the member \"reason\".");
            }
        }
        JsonNode reason = tree.get("reason");
        if (reason == null || reason.isNull()) {
            return null;
        }
        if (!reason.isTextual()) {
            throw new InvalidAdminRequest("\"reason\" must be a string.");
        }
        String text = reason.textValue();
        int length = text.codePointCount(0, text.length());
        if (length > UserEvent.REASON_MAX) {
            throw new InvalidAdminRequest("\"reason\" must be at most " + UserEvent.REASON_MAX + " characters; it has "
                    + length + ".");
        }
        if (FORBIDDEN_IN_REASON.matcher(text).find()) {
            throw new InvalidAdminRequest("\"reason\" must not contain control characters other than tab and line"
                    + " breaks.");
        }
        return text.isBlank() ? null : text;
    }

    private static boolean isJson(String contentType) {
        String type = contentType.split(";", 2)[0].strip().toLowerCase(java.util.Locale.ROOT);
        return type.equals("application/json") || (type.startsWith("application/") && type.endsWith("+json"));
    }
}
