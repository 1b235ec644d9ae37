package io.infershield.token.provider;

import io.infershield.token.config.TokenConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.MultiMap;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Calls upstream providers: the OAuth refresh grant (RFC 6749 §6), revocation (RFC 7009) and GitHub's Copilot token
 * exchange. Transient failures are retried with doubling back-off; permanent ones fail at once.
 *
 * <p>Vert.x's web client rather than Nimbus' OAuth SDK: Nimbus sends over blocking {@code HttpURLConnection}, while the
 * token endpoint's answer is four JSON fields. URLs differ per configured provider, which a typed REST client with one
 * {@code quarkus.rest-client} key per upstream cannot express.
 */
@ApplicationScoped
public class ProviderClient {

    private static final Logger LOG = Logger.getLogger(ProviderClient.class);

    private final WebClient http;
    private final TokenConfig.Refresh policy;
    private final Clock clock;

    ProviderClient(Vertx vertx, TokenConfig config, Clock clock) {
        this.http = WebClient.create(vertx, new WebClientOptions().setFollowRedirects(false)
                .setConnectTimeout((int) config.refresh().timeout().toMillis()));
        this.policy = config.refresh();
        this.clock = clock;
    }

    @PreDestroy
    void close() {
        http.close();
    }

    /** RFC 6749 §6: exchanges a refresh token at the provider's token endpoint. */
    public Uni<RefreshedTokens> refresh(String provider, TokenConfig.Provider config, String refreshToken) {
        String url = config.tokenUrl().orElseThrow(() -> ProviderException.permanent("no_token_url"));
        return withRetry(provider, "refresh", () -> form(http.postAbs(url), config,
                        MultiMap.caseInsensitiveMultiMap().add("grant_type", "refresh_token").add("refresh_token", refreshToken))
                .map(response -> {
                    JsonObject body = json(response);
                    String error = body == null ? null : body.getString("error");
                    if (response.statusCode() == 200 && error == null && body.getString("access_token") != null) {
                        Long expiresIn = longField(body, "expires_in");
                        return new RefreshedTokens(body.getString("access_token"), body.getString("refresh_token"),
                                expiresIn == null ? null : clock.instant().plusSeconds(expiresIn),
                                body.getString("scope"));
                    }
                    throw failure(response, error, "token_endpoint");
                }));
    }

    /** GitHub: a Copilot token for the user's GitHub token ({@code Authorization: token …}). */
    public Uni<CopilotToken> copilotToken(String provider, TokenConfig.Provider config, String githubToken) {
        TokenConfig.EditorHeaders editor = config.editor();
        return withRetry(provider, "copilot token", () -> http.getAbs(config.copilotTokenUrl())
                .timeout(policy.timeout().toMillis())
                .putHeader("Authorization", "token " + githubToken)
                .putHeader("Accept", "application/json")
                .putHeader("User-Agent", editor.userAgent())
                .putHeader("Editor-Version", editor.editorVersion())
                .putHeader("Editor-Plugin-Version", editor.editorPluginVersion())
                .send()
                .map(response -> {
                    if (response.statusCode() == 401) {
                        // GitHub's answer to a revoked or expired GitHub token: only linking again helps
                        throw ProviderException.permanent("github_token_rejected");
                    }
                    JsonObject body = json(response);
                    if (response.statusCode() != 200 || body == null || body.getString("token") == null) {
                        throw failure(response, null, "copilot_token");
                    }
                    Instant now = clock.instant();
                    Long expiresAt = longField(body, "expires_at");
                    Long refreshIn = longField(body, "refresh_in");
                    Instant expiry = expiresAt == null ? now.plus(Duration.ofMinutes(25)) : Instant.ofEpochSecond(expiresAt);
                    Instant refreshAt = refreshIn == null ? expiry.minus(policy.skew()) : now.plusSeconds(refreshIn);
                    JsonObject endpoints = body.getJsonObject("endpoints");
                    String api = endpoints == null ? null : endpoints.getString("api");
                    return new CopilotToken(body.getString("token"), expiry,
                            refreshAt.isAfter(expiry) ? expiry : refreshAt, api);
                }));
    }

    /**
     * RFC 7009 §2.1: revokes a token at the provider's revocation endpoint. The endpoint answers 200 for tokens it does
     * not know (§2.2), so anything else is a failure.
     */
    public Uni<Void> revoke(String provider, TokenConfig.Provider config, String token, String hint) {
        String url = config.revocationUrl().orElseThrow();
        return withRetry(provider, "revocation", () -> form(http.postAbs(url), config,
                        MultiMap.caseInsensitiveMultiMap().add("token", token).add("token_type_hint", hint))
                .map(response -> {
                    if (response.statusCode() != 200) {
                        throw failure(response, errorOf(response), "revocation");
                    }
                    return null;
                }));
    }

    /**
     * Sends a form as the configured client. RFC 6749 §2.3.1: a confidential client authenticates with HTTP Basic; a
     * public one names itself in the body.
     */
    private Uni<HttpResponse<Buffer>> form(HttpRequest<Buffer> request, TokenConfig.Provider config, MultiMap form) {
        request.timeout(policy.timeout().toMillis()).putHeader("Accept", "application/json");
        Optional<String> secret = config.clientSecret().filter(s -> !s.isBlank());
        String clientId = config.clientId().orElse("");
        if (secret.isPresent()) {
            String credentials = formEncode(clientId) + ":" + formEncode(secret.get());
            request.putHeader("Authorization", "Basic "
                    + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        } else if (!clientId.isEmpty()) {
            form.add("client_id", clientId);
        }
        return request.sendForm(form);
    }

    private <T> Uni<T> withRetry(String provider, String operation, Supplier<Uni<? extends T>> call) {
        Uni<T> attempt = Uni.createFrom().<T>deferred(call)
                .onFailure(e -> !(e instanceof ProviderException)).transform(e -> {
                    // connection refused, reset, timeout: the provider may be back in a moment
                    LOG.debugf("%s %s failed: %s", provider, operation, e.getClass().getSimpleName());
                    return ProviderException.transientFailure("unreachable");
                });
        if (policy.attempts() <= 1) {
            return attempt;
        }
        return attempt.onFailure(e -> !((ProviderException) e).permanent())
                .retry().withBackOff(policy.backoff(), policy.backoff().multipliedBy(8))
                .atMost(policy.attempts() - 1L);
    }

    /** Classifies a non-success answer: 5xx and 429 may pass, anything else will not. */
    private static ProviderException failure(HttpResponse<Buffer> response, String error, String endpoint) {
        int status = response.statusCode();
        if (status >= 500 || status == 429) {
            return ProviderException.transientFailure(endpoint + "_" + status);
        }
        if (error != null) {
            return ProviderException.permanent(safeCode(error));
        }
        return ProviderException.permanent(endpoint + "_" + status);
    }

    private static String errorOf(HttpResponse<Buffer> response) {
        JsonObject body = json(response);
        return body == null ? null : body.getString("error");
    }

    /** The body as a JSON object, or null when it is not one (GitHub's 5xx pages are HTML). */
    private static JsonObject json(HttpResponse<Buffer> response) {
        Buffer body = response.body();
        if (body == null || body.length() == 0) {
            return null;
        }
        try {
            Object value = body.toJson();
            return value instanceof JsonObject object ? object : null;
        } catch (DecodeException e) {
            return null;
        }
    }

    /** A numeric field, also when sent as a numeric string (as some providers do). */
    private static Long longField(JsonObject body, String name) {
        Object value = body.getValue(name);
        if (value instanceof Number n) {
            return n.longValue();
        }
        if (value instanceof String s && s.matches("[0-9]{1,12}")) {
            return Long.parseLong(s);
        }
        return null;
    }

    /** Provider error codes end up in events and logs: only a short, plain code survives. */
    private static String safeCode(String error) {
        return error.matches("[A-Za-z0-9_.-]{1,64}") ? error : "invalid_error_code";
    }

    private static String formEncode(String value) {
        return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
