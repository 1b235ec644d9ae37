package io.infershield.auth.link;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infershield.auth.config.AuthConfig;
import org.jboss.logging.Logger;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * OpenAI's Codex sign-in, which is not plain RFC 8628 (these are observed values, not a published contract, so every
 * URL and id is configuration):
 * <ol>
 *   <li>{@code POST user-code-url} JSON {@code {client_id}} answers {@code {device_auth_id, user_code, interval}}, with
 *       no lifetime; the developer enters the code at {@code verification-url}.</li>
 *   <li>{@code POST device-token-url} JSON {@code {device_auth_id, user_code}} answers 403 or 404 while the approval is
 *       pending, then {@code {authorization_code, code_verifier}}.</li>
 *   <li>That code is exchanged at {@code token-url} (RFC 6749 §4.1.3 with the PKCE verifier, RFC 7636 §4.5).</li>
 * </ol>
 * The device_auth_id plays the device code's part. Steps 2 and 3 form one poll for {@link DeviceFlow}, so the engine
 * reads the final token response like any other provider's, and a failed exchange is retried or ends the flow by the
 * same rules.
 */
final class OpenAiCodexAdapter implements ProviderAdapter {

    private static final Logger LOG = Logger.getLogger(OpenAiCodexAdapter.class);

    static final String USER_CODE_URL = "https://auth.openai.com/api/accounts/deviceauth/usercode";
    static final String DEVICE_TOKEN_URL = "https://auth.openai.com/api/accounts/deviceauth/token";
    static final String TOKEN_URL = "https://auth.openai.com/oauth/token";
    static final String VERIFICATION_URL = "https://auth.openai.com/codex/device";
    static final String REDIRECT_URI = "https://auth.openai.com/deviceauth/callback";
    static final String CLIENT_ID = "app_EMoamEEZ73f0CkXaXp7hrann";
    /** The provider forgets a request after 15 minutes and never says so: the client keeps its own deadline. */
    static final Duration GIVE_UP_AFTER = Duration.ofMinutes(15);

    /** What the engine reads as "keep polling" (RFC 8628 §3.5). */
    private static final TokenEndpointResponse PENDING = new TokenEndpointResponse(400,
            Map.of("Content-Type", List.of("application/json")), "{\"error\":\"authorization_pending\"}");

    private final UpstreamHttp http;
    private final String clientId;
    private final String userCodeUrl;
    private final String deviceTokenUrl;
    private final String tokenUrl;
    private final URI verificationUrl;
    private final String redirectUri;
    private final Duration giveUpAfter;
    private final Map<String, String> headers;

    OpenAiCodexAdapter(AuthConfig.LinkProvider config, UpstreamHttp http) {
        this.http = http;
        this.clientId = config.clientId().orElse(CLIENT_ID);
        this.userCodeUrl = config.userCodeUrl().orElse(USER_CODE_URL);
        this.deviceTokenUrl = config.deviceTokenUrl().orElse(DEVICE_TOKEN_URL);
        this.tokenUrl = config.tokenUrl().orElse(TOKEN_URL);
        this.verificationUrl = URI.create(config.verificationUrl().orElse(VERIFICATION_URL));
        this.redirectUri = config.redirectUri().orElse(REDIRECT_URI);
        this.giveUpAfter = config.giveUpAfter().orElse(GIVE_UP_AFTER);
        this.headers = Map.copyOf(config.headers());
    }

    @Override
    public CompletableFuture<DeviceAuthorizationResponse> authorize() {
        return http.postJson(userCodeUrl, Map.of("client_id", clientId), headers).handle(this::readUserCode);
    }

    private DeviceAuthorizationResponse readUserCode(TokenEndpointResponse response, Throwable failure) {
        if (failure != null || response.status() >= 500 || response.status() == 429) {
            throw new ProviderRefused(ProviderRefused.UNREACHABLE);
        }
        try {
            ObjectNode body = OAuthBodies.parse(response.body(), response.header("Content-Type").orElse(null));
            Optional<String> error = OAuthBodies.error(body);
            if (error.isPresent()) {
                throw new ProviderRefused(error.get());
            }
            if (response.status() != 200) {
                throw new ProviderRefused(LinkOutcome.INVALID_RESPONSE);
            }
            String deviceAuthId = required(body, "device_auth_id");
            String userCode = required(body, "user_code");
            // observed as a string ("5"); OAuthBodies takes numbers and numeric strings alike (checklist B1)
            OptionalLong interval = OAuthBodies.seconds(body, "interval");
            return new DeviceAuthorizationResponse(new DeviceCode(deviceAuthId), userCode, verificationUrl,
                    Optional.empty(), giveUpAfter, interval.isPresent()
                            ? Duration.ofSeconds(interval.getAsLong()) : DeviceAuthorizationResponse.DEFAULT_INTERVAL);
        } catch (InvalidProviderResponse e) {
            LOG.warnf("Codex user code request: %s", e.getMessage());
            throw new ProviderRefused(LinkOutcome.INVALID_RESPONSE);
        }
    }

    @Override
    public TokenEndpointTransport transport(DeviceAuthorizationResponse authorization) {
        String userCode = authorization.userCode();
        return deviceCode -> {
            CompletableFuture<TokenEndpointResponse> poll = http.postJson(deviceTokenUrl,
                    Map.of("device_auth_id", deviceCode.value(), "user_code", userCode), headers);
            AtomicReference<CompletableFuture<TokenEndpointResponse>> inFlight = new AtomicReference<>(poll);
            CompletableFuture<TokenEndpointResponse> answer = poll.thenCompose(response -> {
                CompletableFuture<TokenEndpointResponse> next = afterPoll(response);
                inFlight.set(next);
                return next;
            });
            // DeviceFlow.cancel() cancels this future: pass it on to whichever request is running
            answer.whenComplete((ignored, error) -> {
                if (answer.isCancelled()) {
                    inFlight.get().cancel(true);
                }
            });
            return answer;
        };
    }

    private CompletableFuture<TokenEndpointResponse> afterPoll(TokenEndpointResponse response) {
        if (response.status() == 403 || response.status() == 404) {
            return CompletableFuture.completedFuture(PENDING);
        }
        if (response.status() != 200) {
            // access_denied, a 5xx or a 429: the engine's rules apply as for any token endpoint
            return CompletableFuture.completedFuture(response);
        }
        ObjectNode approval;
        String code;
        String verifier;
        try {
            approval = OAuthBodies.parse(response.body(), response.header("Content-Type").orElse(null));
            code = required(approval, "authorization_code");
            verifier = required(approval, "code_verifier");
        } catch (InvalidProviderResponse e) {
            LOG.warnf("Codex device token answer: %s", e.getMessage());
            return CompletableFuture.completedFuture(
                    new TokenEndpointResponse(200, Map.of(), "{\"error\":\"" + LinkOutcome.INVALID_RESPONSE + "\"}"));
        }
        // RFC 6749 §4.1.3 with the PKCE verifier the provider generated (RFC 7636 §4.5)
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", code);
        form.put("redirect_uri", redirectUri);
        form.put("client_id", clientId);
        form.put("code_verifier", verifier);
        return http.postForm(tokenUrl, form, headers, null);
    }

    private static String required(ObjectNode body, String name) {
        return OAuthBodies.string(body, name).filter(value -> !value.isBlank())
                .orElseThrow(() -> new InvalidProviderResponse("'" + name + "' is missing"));
    }
}
