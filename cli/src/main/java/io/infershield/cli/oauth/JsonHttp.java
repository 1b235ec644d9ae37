package io.infershield.cli.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** What both auth-service clients share: one JSON exchange, and the checks on what comes back. */
final class JsonHttp {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    final HttpClient http;
    final ObjectMapper json;

    JsonHttp(HttpClient http, ObjectMapper json) {
        this.http = http;
        this.json = json;
    }

    HttpResponse<String> send(HttpRequest.Builder request, String server) throws ServerUnreachableException {
        return send(request, server, TIMEOUT);
    }

    /** Any transport failure becomes a message that names the server. */
    HttpResponse<String> send(HttpRequest.Builder request, String server, Duration timeout)
            throws ServerUnreachableException {
        try {
            return http.send(request.timeout(timeout).header("Accept", "application/json").build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new ServerUnreachableException(server, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServerUnreachableException(server, e);
        }
    }

    JsonNode parse(HttpResponse<String> response, String server) throws OAuthException {
        JsonNode body = tryParse(response.body());
        if (body == null || !body.isObject()) {
            throw new OAuthException(null, server + " answered something that is not a JSON object.");
        }
        return body;
    }

    JsonNode tryParse(String body) {
        try {
            return json.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    static String required(JsonNode body, String field, String server) throws OAuthException {
        String value = body.path(field).asText("");
        if (value.isBlank()) {
            throw new OAuthException(null, server + " left out " + field + ".");
        }
        return value;
    }

    /** Only http(s): these URIs reach a browser and a process launcher, so a hostile server must not pick the scheme. */
    static URI webUri(String value, String server) throws OAuthException {
        try {
            URI uri = URI.create(value);
            if ("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme())) {
                return uri;
            }
        } catch (IllegalArgumentException e) {
            // falls through to the same answer as a wrong scheme
        }
        throw new OAuthException(null, server + " sent a URL that is not http(s).");
    }
}
