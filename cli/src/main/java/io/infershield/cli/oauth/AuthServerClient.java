package io.infershield.cli.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static io.infershield.cli.oauth.JsonHttp.required;
import static io.infershield.cli.oauth.JsonHttp.webUri;

/**
 * Talks to auth-service as an RFC 8628 public client. Hand-written over {@link HttpClient} rather than Nimbus
 * oauth2-oidc-sdk: four form posts do not justify its weight in a command whose start-up time users feel.
 */
public class AuthServerClient {

    /** RFC 8628 §3.4. */
    public static final String DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
    /** RFC 8628 §3.2: the interval when the server does not name one. */
    private static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);

    private final JsonHttp http;
    private final String clientId;

    public AuthServerClient(HttpClient http, ObjectMapper json, String clientId) {
        this.http = new JsonHttp(http, json);
        this.clientId = clientId;
    }

    /** RFC 8414 §3: fetches the metadata and checks that it belongs to {@code server} (§3.3). */
    public ServerMetadata discover(String server) throws ServerUnreachableException, OAuthException {
        URI uri = URI.create(server + "/.well-known/oauth-authorization-server");
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).GET(), server);
        if (response.statusCode() != 200) {
            throw new OAuthException(null, server + " is not an InferShield auth server (metadata answered HTTP "
                    + response.statusCode() + ").");
        }
        JsonNode body = http.parse(response, server);
        String issuer = body.path("issuer").asText("");
        // RFC 8414 §3.3: metadata whose issuer differs from the server asked must not be used.
        if (!issuer.equals(server)) {
            throw new OAuthException(null, "The server at " + server + " names itself " + issuer
                    + "; sign in with --server " + issuer + ".");
        }
        return new ServerMetadata(issuer, endpoint(body, "device_authorization_endpoint", server),
                endpoint(body, "token_endpoint", server),
                body.hasNonNull("revocation_endpoint") ? endpoint(body, "revocation_endpoint", server) : null);
    }

    /** RFC 8628 §3.1. */
    public DeviceAuthorization authorizeDevice(ServerMetadata server, String scope)
            throws ServerUnreachableException, OAuthException {
        JsonNode body = postForm(server.deviceAuthorizationEndpoint(), server.issuer(),
                Map.of("client_id", clientId, "scope", scope));
        String deviceCode = required(body, "device_code", server.issuer());
        String userCode = required(body, "user_code", server.issuer());
        URI verificationUri = webUri(required(body, "verification_uri", server.issuer()), server.issuer());
        Optional<URI> complete = body.hasNonNull("verification_uri_complete")
                ? Optional.of(webUri(body.get("verification_uri_complete").asText(), server.issuer()))
                : Optional.empty();
        Duration interval = body.hasNonNull("interval")
                ? Duration.ofSeconds(Math.max(1, body.get("interval").asLong())) : DEFAULT_INTERVAL;
        return new DeviceAuthorization(deviceCode, userCode, verificationUri, complete,
                Duration.ofSeconds(body.path("expires_in").asLong(0)), interval);
    }

    /**
     * RFC 8628 §3.4: one poll. Pending, slow_down, denial and expiry come back as an {@link OAuthException} whose
     * {@link OAuthException#error()} is the RFC 8628 §3.5 code.
     */
    public AccessToken pollToken(ServerMetadata server, DeviceAuthorization authorization)
            throws ServerUnreachableException, OAuthException {
        return accessToken(postForm(server.tokenEndpoint(), server.issuer(), Map.of(
                "grant_type", DEVICE_CODE_GRANT, "device_code", authorization.deviceCode(), "client_id", clientId)),
                server.issuer());
    }

    /** RFC 6749 §6: a new pair for a refresh token; auth-service rotates it, so the old one is spent. */
    public AccessToken refresh(ServerMetadata server, String refreshToken)
            throws ServerUnreachableException, OAuthException {
        return accessToken(postForm(server.tokenEndpoint(), server.issuer(), Map.of(
                "grant_type", "refresh_token", "refresh_token", refreshToken, "client_id", clientId)), server.issuer());
    }

    private static AccessToken accessToken(JsonNode body, String server) throws OAuthException {
        String token = required(body, "access_token", server);
        Optional<Duration> expiresIn = body.hasNonNull("expires_in")
                ? Optional.of(Duration.ofSeconds(body.get("expires_in").asLong())) : Optional.empty();
        return new AccessToken(token, expiresIn, body.path("refresh_token").asText(null));
    }

    /**
     * Creates a personal key with the access credential as bearer token (RFC 6750 §2.1). A refused credential comes
     * back as an {@link OAuthException} with error {@code invalid_token}.
     */
    public PersonalKey createPersonalKey(String server, String accessCredential, String name, int days)
            throws ServerUnreachableException, OAuthException {
        String body = http.json.createObjectNode().put("name", name).put("days", days).toString();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(server + "/api/me/personal-keys"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + accessCredential)
                .POST(HttpRequest.BodyPublishers.ofString(body)), server);
        JsonNode answer = http.tryParse(response.body());
        if (response.statusCode() == 201 && answer != null) {
            String key = required(answer, "key", server);
            try {
                return new PersonalKey(key, Instant.parse(required(answer, "expiresAt", server)));
            } catch (DateTimeParseException e) {
                throw new OAuthException(null, server + " sent an expiry that is not a time.");
            }
        }
        if (response.statusCode() == 401) {
            throw new OAuthException("invalid_token", "The server no longer accepts your sign-in.");
        }
        // RFC 9457 problem details name what was wrong in "detail"
        String detail = answer == null ? "" : answer.path("detail").asText("");
        throw new OAuthException(null, server + " did not create an IDE key (HTTP " + response.statusCode() + ")"
                + (detail.isBlank() ? "." : ": " + detail));
    }

    /**
     * RFC 7009 §2: the server answers 200 whether or not it knew the token. {@code hint} is {@code access_token} or
     * {@code refresh_token} (§2.1).
     */
    public void revoke(ServerMetadata server, String token, String hint)
            throws ServerUnreachableException, OAuthException {
        if (server.revocationEndpoint() == null) {
            throw new OAuthException(null, server.issuer() + " does not offer revocation.");
        }
        Map<String, String> form = new LinkedHashMap<>();
        form.put("token", token);
        form.put("token_type_hint", hint);
        form.put("client_id", clientId);
        postForm(server.revocationEndpoint(), server.issuer(), form);
    }

    private JsonNode postForm(URI uri, String server, Map<String, String> form)
            throws ServerUnreachableException, OAuthException {
        String encoded = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(encoded)), server);
        if (response.statusCode() == 200) {
            // RFC 7009 §2.2: a revocation answer may have an empty body.
            return response.body().isBlank() ? http.json.createObjectNode() : http.parse(response, server);
        }
        JsonNode error = http.tryParse(response.body());
        if (error != null && error.hasNonNull("error")) {
            String code = error.get("error").asText();
            String description = error.path("error_description").asText("");
            throw new OAuthException(code, description.isBlank() ? code : code + ": " + description);
        }
        throw new OAuthException(null, server + " answered HTTP " + response.statusCode() + ".");
    }

    private static URI endpoint(JsonNode body, String field, String server) throws OAuthException {
        return webUri(required(body, field, server), server);
    }
}
