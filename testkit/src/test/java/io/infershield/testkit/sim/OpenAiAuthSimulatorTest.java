package io.infershield.testkit.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpenAiAuthSimulatorTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String CID = OpenAiAuthSimulator.CODEX_CLIENT_ID;

    static final HttpClient http = HttpClient.newHttpClient();
    MutableClock clock;
    OpenAiAuthSimulator sim;

    @BeforeEach
    void start() {
        clock = MutableClock.startingAtEpoch2025();
        sim = OpenAiAuthSimulator.start(clock);
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    // ---- helpers ---------------------------------------------------------------------------------------------------

    HttpResponse<String> postJson(String path, Map<String, String> body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> postForm(String path, Map<String, String> form) throws Exception {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return http.send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + path))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), r.toString());
        return JSON.readTree(r.body());
    }

    JsonNode userCode() throws Exception {
        HttpResponse<String> r = postJson("/api/accounts/deviceauth/usercode", Map.of("client_id", CID));
        assertEquals(200, r.statusCode());
        return json(r);
    }

    HttpResponse<String> pollDevice(JsonNode uc) throws Exception {
        return postJson("/api/accounts/deviceauth/token", Map.of("device_auth_id", uc.get("device_auth_id").asText(),
                "user_code", uc.get("user_code").asText()));
    }

    /** Approves as {@code email} and returns the device-token answer (code, verifier, challenge). */
    JsonNode approved(String email) throws Exception {
        JsonNode uc = userCode();
        sim.approve(uc.get("user_code").asText(), email);
        clock.advanceSeconds(5);
        HttpResponse<String> r = pollDevice(uc);
        assertEquals(200, r.statusCode());
        return json(r);
    }

    HttpResponse<String> exchange(String code, String verifier) throws Exception {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("grant_type", "authorization_code");
        f.put("code", code);
        f.put("code_verifier", verifier);
        f.put("client_id", CID);
        f.put("redirect_uri", sim.redirectUri());
        return postForm("/oauth/token", f);
    }

    HttpResponse<String> refresh(String refreshToken) throws Exception {
        return postForm("/oauth/token",
                Map.of("grant_type", "refresh_token", "refresh_token", refreshToken, "client_id", CID));
    }

    static void assertOauthError(HttpResponse<String> r, int status, String error) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        JsonNode b = json(r);
        assertEquals(error, b.get("error").asText(), b.toString());
        assertTrue(b.get("error").isTextual(), "RFC 6749: error is a string, not an object");
        assertFalse(b.has("access_token"));
    }

    static JsonNode jwtClaims(String jwt) throws Exception {
        String[] parts = jwt.split("\\.", -1);
        assertEquals(3, parts.length, jwt);
        return JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
    }

    // ---- device auth -----------------------------------------------------------------------------------------------

    @Test
    void userCodeHasAStringInterval() throws Exception {
        JsonNode uc = userCode();
        assertTrue(uc.get("device_auth_id").asText().startsWith("deviceauth_"));
        assertTrue(uc.get("user_code").asText().matches("[A-Z0-9]{4}-[A-Z0-9]{4}"));
        assertTrue(uc.get("interval").isTextual(), "interval is a string, an observed quirk");
        assertEquals("5", uc.get("interval").asText());
        assertEquals(sim.baseUrl() + "/codex/device", sim.verificationUrl());
        assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(sim.verificationUrl())).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
        assertEquals(CID, JSON.readTree(sim.received("/api/accounts/deviceauth/usercode").get(0).body())
                .get("client_id").asText());
    }

    @Test
    void unknownClientCannotStart() throws Exception {
        HttpResponse<String> r = postJson("/api/accounts/deviceauth/usercode", Map.of("client_id", "app_unknown"));
        assertOauthError(r, 400, "invalid_client");
    }

    @Test
    void pending403Unknown404ThenCodeAndVerifier() throws Exception {
        JsonNode uc = userCode();
        assertEquals(403, pollDevice(uc).statusCode());
        assertEquals(404, postJson("/api/accounts/deviceauth/token",
                Map.of("device_auth_id", "deviceauth_nope", "user_code", uc.get("user_code").asText())).statusCode());
        assertEquals(404, postJson("/api/accounts/deviceauth/token",
                Map.of("device_auth_id", uc.get("device_auth_id").asText(), "user_code", "AAAA-2222")).statusCode());
        sim.approve(uc.get("user_code").asText(), "alice@example.com");
        HttpResponse<String> r = pollDevice(uc);
        assertEquals(200, r.statusCode());
        JsonNode b = json(r);
        String verifier = b.get("code_verifier").asText();
        assertTrue(verifier.length() >= 43 && verifier.length() <= 128);
        assertTrue(b.get("authorization_code").asText().length() > 0);
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
        assertEquals(Base64.getUrlEncoder().withoutPadding().encodeToString(digest), b.get("code_challenge").asText());
    }

    @Test
    void denial() throws Exception {
        JsonNode uc = userCode();
        sim.deny(uc.get("user_code").asText());
        assertOauthError(pollDevice(uc), 400, "access_denied");
    }

    @Test
    void fifteenMinuteExpiry() throws Exception {
        JsonNode uc = userCode();
        clock.advanceSeconds(15 * 60 - 1);
        assertEquals(403, pollDevice(uc).statusCode());
        clock.advanceSeconds(1);
        assertEquals(404, pollDevice(uc).statusCode(), "an expired request is forgotten");
        assertThrows(IllegalStateException.class, () -> sim.approve(uc.get("user_code").asText(), "alice@example.com"));
    }

    @Test
    void codeExpiresWithTheDeviceRequest() throws Exception {
        JsonNode a = approved("alice@example.com");
        clock.advanceSeconds(15 * 60);
        assertOauthError(exchange(a.get("authorization_code").asText(), a.get("code_verifier").asText()), 400,
                "invalid_grant");
    }

    // ---- code exchange ---------------------------------------------------------------------------------------------

    @Test
    void exchangeIsSingleUseAndUserSpecific() throws Exception {
        JsonNode a = approved("alice@example.com");
        HttpResponse<String> r = exchange(a.get("authorization_code").asText(), a.get("code_verifier").asText());
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("no-store", r.headers().firstValue("Cache-Control").orElseThrow());
        JsonNode t = json(r);
        assertTrue(t.get("expires_in").isInt());
        assertEquals(3600, t.get("expires_in").asInt());
        assertTrue(t.get("refresh_token").asText().startsWith("rt_"));
        assertEquals("alice@example.com", jwtClaims(t.get("id_token").asText()).get("email").asText());
        assertEquals(CID, jwtClaims(t.get("access_token").asText()).get("client_id").asText());
        assertEquals("alice@example.com", sim.emailOfAccessToken(t.get("access_token").asText()));

        assertOauthError(exchange(a.get("authorization_code").asText(), a.get("code_verifier").asText()), 400,
                "invalid_grant");

        JsonNode b = approved("bob@example.com");
        JsonNode tb = json(exchange(b.get("authorization_code").asText(), b.get("code_verifier").asText()));
        assertEquals("bob@example.com", jwtClaims(tb.get("id_token").asText()).get("email").asText());
        assertNotEquals(t.get("access_token").asText(), tb.get("access_token").asText());
    }

    @Test
    void pkceMismatchIsInvalidGrant() throws Exception {
        JsonNode a = approved("alice@example.com");
        String code = a.get("authorization_code").asText();
        assertOauthError(exchange(code, "x".repeat(64)), 400, "invalid_grant");
        JsonNode other = approved("bob@example.com");
        assertOauthError(exchange(code, other.get("code_verifier").asText()), 400, "invalid_grant");
    }

    @Test
    void exchangeErrorsAreRfc6749Shaped() throws Exception {
        JsonNode a = approved("alice@example.com");
        String code = a.get("authorization_code").asText();
        String verifier = a.get("code_verifier").asText();
        assertOauthError(exchange("not-a-code", verifier), 400, "invalid_grant");
        assertOauthError(postForm("/oauth/token", Map.of("grant_type", "authorization_code", "code", code,
                "code_verifier", verifier, "client_id", CID, "redirect_uri", "http://evil.example/cb")), 400,
                "invalid_grant");
        assertOauthError(postForm("/oauth/token", Map.of("grant_type", "authorization_code", "code", code,
                "client_id", CID, "redirect_uri", sim.redirectUri())), 400, "invalid_request");
        assertOauthError(postForm("/oauth/token", Map.of("grant_type", "password", "client_id", CID)), 400,
                "unsupported_grant_type");
        HttpResponse<String> badClient = postForm("/oauth/token", Map.of("grant_type", "authorization_code",
                "code", code, "code_verifier", verifier, "client_id", "app_other", "redirect_uri", sim.redirectUri()));
        assertOauthError(badClient, 401, "invalid_client");
        // none of the failures consumed the code
        assertEquals(200, exchange(code, verifier).statusCode());
    }

    // ---- refresh ---------------------------------------------------------------------------------------------------

    @Test
    void refreshRotatesAndReuseIsInvalidGrant() throws Exception {
        JsonNode a = approved("alice@example.com");
        JsonNode t1 = json(exchange(a.get("authorization_code").asText(), a.get("code_verifier").asText()));
        String rt1 = t1.get("refresh_token").asText();

        HttpResponse<String> r2 = refresh(rt1);
        assertEquals(200, r2.statusCode(), r2.body());
        JsonNode t2 = json(r2);
        String rt2 = t2.get("refresh_token").asText();
        assertNotEquals(rt1, rt2, "the refresh token rotates");
        assertNotEquals(t1.get("access_token").asText(), t2.get("access_token").asText());
        assertEquals("alice@example.com", jwtClaims(t2.get("id_token").asText()).get("email").asText());

        HttpResponse<String> reused = refresh(rt1);
        assertOauthError(reused, 400, "invalid_grant");
        assertTrue(json(reused).get("error_description").asText().contains("bad_refresh_token"));
        // reuse detection revokes the whole family, the newest token included
        assertOauthError(refresh(rt2), 400, "invalid_grant");
        assertOauthError(refresh("rt_unknown"), 400, "invalid_grant");
    }

    @Test
    void refreshAcceptsJsonBodyAsCodexSendsIt() throws Exception {
        JsonNode a = approved("alice@example.com");
        JsonNode t1 = json(exchange(a.get("authorization_code").asText(), a.get("code_verifier").asText()));
        HttpResponse<String> r = postJson("/oauth/token", Map.of("grant_type", "refresh_token", "client_id", CID,
                "refresh_token", t1.get("refresh_token").asText(), "scope", "openid profile email"));
        assertEquals(200, r.statusCode(), r.body());
    }

    @Test
    void injectedFailures() throws Exception {
        JsonNode uc = userCode();
        sim.failNext(1, 502, null);
        assertEquals(502, pollDevice(uc).statusCode());
        sim.failNext(1, 429, "3");
        HttpResponse<String> limited = pollDevice(uc);
        assertEquals(429, limited.statusCode());
        assertEquals("3", limited.headers().firstValue("Retry-After").orElseThrow());
        assertEquals(403, pollDevice(uc).statusCode());
    }
}
