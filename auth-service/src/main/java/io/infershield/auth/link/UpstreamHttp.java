package io.infershield.auth.link;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * Requests to upstream providers. Built on the JDK client rather than a Quarkus REST client: provider URLs come from
 * per-provider configuration rather than {@code quarkus.rest-client.*}, the dialects differ (form, JSON, errors with
 * HTTP 200), and cancelling the returned future aborts the exchange, which {@link DeviceFlow#cancel()} relies on.
 * Bodies are never logged.
 */
public final class UpstreamHttp {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient client;
    private final Duration requestTimeout;

    /** @param requestTimeout how long one request may take before it fails like a connection failure */
    public UpstreamHttp(Duration requestTimeout) {
        // HTTP/1.1: an h2c upgrade attempt on plain-HTTP hosts (simulators, an IdP behind a proxy) only adds risk
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(requestTimeout).followRedirects(HttpClient.Redirect.NEVER).build();
        this.requestTimeout = requestTimeout;
    }

    /** Credentials of a confidential client for HTTP Basic (RFC 6749 §2.3.1), or none. */
    record BasicCredentials(String clientId, String clientSecret) {

        /** RFC 6749 §2.3.1: both parts are form-encoded before they are joined and base64-encoded. */
        String header() {
            String joined = URLEncoder.encode(clientId, StandardCharsets.UTF_8) + ":"
                    + URLEncoder.encode(clientSecret, StandardCharsets.UTF_8);
            return "Basic " + Base64.getEncoder().encodeToString(joined.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String toString() {
            return "BasicCredentials[clientId=" + clientId + "]";
        }
    }

    /** POSTs {@code application/x-www-form-urlencoded} parameters (RFC 6749 Appendix B). */
    CompletableFuture<TokenEndpointResponse> postForm(String url, Map<String, String> form, Map<String, String> headers,
            BasicCredentials basic) {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder request = request(url, headers)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (basic != null) {
            request.header("Authorization", basic.header());
        }
        return send(request);
    }

    /** POSTs a JSON object. */
    CompletableFuture<TokenEndpointResponse> postJson(String url, Map<String, String> fields, Map<String, String> headers) {
        String body;
        try {
            body = JSON.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            // a map of strings always serializes
            throw new IllegalStateException("request body did not serialize", e);
        }
        return send(request(url, headers).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    CompletableFuture<TokenEndpointResponse> get(String url, Map<String, String> headers) {
        return send(request(url, headers).GET());
    }

    private HttpRequest.Builder request(String url, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(requestTimeout)
                .header("Accept", "application/json");
        // configured headers come last, so a deployment can override even Accept
        headers.forEach(request::setHeader);
        return request;
    }

    private CompletableFuture<TokenEndpointResponse> send(HttpRequest.Builder request) {
        CompletableFuture<HttpResponse<String>> exchange =
                client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        CompletableFuture<TokenEndpointResponse> answer = exchange.thenApply(response ->
                new TokenEndpointResponse(response.statusCode(), response.headers().map(), response.body()));
        // a dependent stage does not pass cancellation upstream; the JDK client aborts the exchange when it is cancelled
        answer.whenComplete((ignored, error) -> {
            if (answer.isCancelled()) {
                exchange.cancel(true);
            }
        });
        return answer;
    }
}
