package io.infershield.cli.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import static io.infershield.cli.oauth.JsonHttp.required;
import static io.infershield.cli.oauth.JsonHttp.webUri;

/**
 * auth-service's link API ({@code /v1/links}, docs/architecture.md), called with the developer's access credential as
 * bearer token (RFC 6750 §2.1). Refusals come back as {@link ApiProblem}; a refused credential is status 401.
 */
public class LinkClient {

    /** What may stand in a path segment unescaped: provider names and session ids never need more. */
    public static final Pattern PATH_SEGMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    /** Ctrl-C waits for the cancellation, so it must not hang on a server that is gone. */
    private static final Duration CANCEL_TIMEOUT = Duration.ofSeconds(3);

    private final JsonHttp http;

    public LinkClient(HttpClient http, ObjectMapper json) {
        this.http = new JsonHttp(http, json);
    }

    /** {@code POST /v1/links/{provider}}: starts a device flow with the provider; {@code provider} must be a {@link #PATH_SEGMENT}. */
    public LinkSession start(String server, String credential, String provider)
            throws ServerUnreachableException, OAuthException {
        HttpResponse<String> response = http.send(request(server, "/v1/links/" + segment(provider), credential)
                .POST(HttpRequest.BodyPublishers.noBody()), server);
        return session(expect(response, server), server, true);
    }

    /** {@code GET /v1/links/sessions/{id}}. */
    public LinkSession session(String server, String credential, String id)
            throws ServerUnreachableException, OAuthException {
        HttpResponse<String> response = http.send(request(server, "/v1/links/sessions/" + segment(id), credential)
                .GET(), server);
        return session(expect(response, server), server, false);
    }

    /** {@code DELETE /v1/links/sessions/{id}}: the server stops polling the provider. */
    public void cancel(String server, String credential, String id) throws ServerUnreachableException, OAuthException {
        HttpResponse<String> response = http.send(request(server, "/v1/links/sessions/" + segment(id), credential)
                .DELETE(), server, CANCEL_TIMEOUT);
        expect(response, server);
    }

    /** {@code GET /v1/links}. */
    public Links list(String server, String credential) throws ServerUnreachableException, OAuthException {
        HttpResponse<String> response = http.send(request(server, "/v1/links", credential).GET(), server);
        JsonNode body = expect(response, server);
        List<Link> links = new ArrayList<>();
        for (JsonNode link : body.path("links")) {
            List<String> scopes = new ArrayList<>();
            link.path("scopes").forEach(scope -> scopes.add(scope.asText()));
            links.add(new Link(required(link, "provider", server), required(link, "state", server), scopes,
                    link.path("linkedAt").asText(null), link.path("expiresAt").asText(null),
                    link.path("brokenReason").asText(null)));
        }
        return new Links(links, response.body());
    }

    /** {@code DELETE /v1/links/{provider}}; {@code provider} must be a {@link #PATH_SEGMENT}. */
    public void remove(String server, String credential, String provider)
            throws ServerUnreachableException, OAuthException {
        expect(http.send(request(server, "/v1/links/" + segment(provider), credential).DELETE(), server), server);
    }

    private static HttpRequest.Builder request(String server, String path, String credential) {
        return HttpRequest.newBuilder(URI.create(server + path)).header("Authorization", "Bearer " + credential);
    }

    /** The body of a 2xx answer (an empty object for 204), else the problem the server described. */
    private JsonNode expect(HttpResponse<String> response, String server) throws OAuthException {
        int status = response.statusCode();
        if (status / 100 == 2) {
            return response.body().isBlank() ? http.json.createObjectNode() : http.parse(response, server);
        }
        JsonNode problem = http.tryParse(response.body());
        String detail = problem == null ? null : problem.path("detail").asText(null);
        // RFC 9457 §3.2 extension member: auth-service puts an upstream provider's error code there
        String code = problem == null ? null : problem.path("error").asText(null);
        throw new ApiProblem(status, code, detail, server + " answered HTTP " + status
                + (detail == null || detail.isBlank() ? "." : ": " + detail));
    }

    /**
     * A freshly started session must carry what the user needs to approve it; a polled one only needs its state, so
     * the rest is read when present.
     */
    private static LinkSession session(JsonNode body, String server, boolean started) throws OAuthException {
        String id = required(body, "id", server);
        if (!PATH_SEGMENT.matcher(id).matches()) {
            throw new OAuthException(null, server + " sent a link session id that cannot be used in a URL.");
        }
        String expiresAt = started ? required(body, "expiresAt", server) : body.path("expiresAt").asText(null);
        String userCode = started ? required(body, "userCode", server) : body.path("userCode").asText(null);
        String uri = started ? required(body, "verificationUri", server) : body.path("verificationUri").asText(null);
        Optional<URI> complete = body.hasNonNull("verificationUriComplete")
                ? Optional.of(webUri(body.get("verificationUriComplete").asText(), server)) : Optional.empty();
        try {
            return new LinkSession(id, required(body, "provider", server), required(body, "state", server),
                    body.path("error").asText(null), userCode, uri == null ? null : webUri(uri, server), complete,
                    expiresAt == null ? null : Instant.parse(expiresAt));
        } catch (DateTimeParseException e) {
            throw new OAuthException(null, server + " sent an expiry that is not a time.");
        }
    }

    private static String segment(String value) {
        if (!PATH_SEGMENT.matcher(value).matches()) {
            throw new IllegalArgumentException("not a path segment");
        }
        return value;
    }
}
