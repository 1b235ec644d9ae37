package io.infershield.token.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infershield.testkit.sim.GitHubSimulator;
import io.infershield.testkit.sim.MutableClock;
import io.infershield.testkit.sim.OpenAiAuthSimulator;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Real tokens from the provider simulators, obtained the way auth-service obtains them (the device flows), so that
 * token-service's refreshes and exchanges meet tokens the simulators know.
 */
public final class ProviderLogins {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private ProviderLogins() {
    }

    /** OpenAI's answer to the code exchange (RFC 6749 §5.1). */
    public record OpenAiTokens(String accessToken, String refreshToken, long expiresIn) {
    }

    /** A {@code gho_} token for {@code login}; moves the simulator clock by one polling interval. */
    public static String githubToken(GitHubSimulator github, MutableClock clock, String login) {
        JsonNode device = post(github.baseUrl() + "/login/device/code", "application/x-www-form-urlencoded",
                "client_id=" + GitHubSimulator.COPILOT_CLIENT_ID + "&scope=read:user");
        github.approve(device.get("user_code").asText(), login);
        clock.advanceSeconds(GitHubSimulator.INTERVAL);
        JsonNode token = post(github.baseUrl() + "/login/oauth/access_token", "application/x-www-form-urlencoded",
                "client_id=" + GitHubSimulator.COPILOT_CLIENT_ID + "&device_code=" + device.get("device_code").asText()
                        + "&grant_type=" + enc(GitHubSimulator.DEVICE_GRANT));
        return token.get("access_token").asText();
    }

    /** An access and refresh token for {@code email}, through Codex's device auth and the PKCE code exchange. */
    public static OpenAiTokens openAiTokens(OpenAiAuthSimulator openai, String email) {
        JsonNode code = post(openai.baseUrl() + "/api/accounts/deviceauth/usercode", "application/json",
                "{\"client_id\":\"" + OpenAiAuthSimulator.CODEX_CLIENT_ID + "\"}");
        openai.approve(code.get("user_code").asText(), email);
        JsonNode auth = post(openai.baseUrl() + "/api/accounts/deviceauth/token", "application/json",
                "{\"device_auth_id\":\"" + code.get("device_auth_id").asText() + "\",\"user_code\":\""
                        + code.get("user_code").asText() + "\"}");
        JsonNode tokens = post(openai.baseUrl() + "/oauth/token", "application/x-www-form-urlencoded",
                "grant_type=authorization_code&client_id=" + OpenAiAuthSimulator.CODEX_CLIENT_ID
                        + "&code=" + enc(auth.get("authorization_code").asText())
                        + "&code_verifier=" + enc(auth.get("code_verifier").asText())
                        + "&redirect_uri=" + enc(openai.redirectUri()));
        return new OpenAiTokens(tokens.get("access_token").asText(), tokens.get("refresh_token").asText(),
                tokens.get("expires_in").asLong());
    }

    /** Uses a refresh token once, directly at the simulator: the old one is then spent (reuse revokes the family). */
    public static JsonNode refreshDirectly(OpenAiAuthSimulator openai, String refreshToken) {
        return post(openai.baseUrl() + "/oauth/token", "application/x-www-form-urlencoded",
                "grant_type=refresh_token&client_id=" + OpenAiAuthSimulator.CODEX_CLIENT_ID
                        + "&refresh_token=" + enc(refreshToken));
    }

    private static JsonNode post(String url, String contentType, String body) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(10))
                    .header("Content-Type", contentType)
                    .header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(url + " answered " + response.statusCode() + ": " + response.body());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
