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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GitHubSimulatorTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String CID = GitHubSimulator.COPILOT_CLIENT_ID;
    static final String GRANT = "urn:ietf:params:oauth:grant-type:device_code";
    static final String ERROR_URI =
            "https://docs.github.com/developers/apps/authorizing-oauth-apps#error-codes-for-the-device-flow";

    static final HttpClient http = HttpClient.newHttpClient();
    MutableClock clock;
    GitHubSimulator sim;

    @BeforeEach
    void start() {
        clock = MutableClock.startingAtEpoch2025();
        sim = GitHubSimulator.start(clock);
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    // ---- helpers ---------------------------------------------------------------------------------------------------

    HttpResponse<String> post(String path, Map<String, String> form, boolean json) throws Exception {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sim.baseUrl() + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (json) {
            b.header("Accept", "application/json");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode deviceCode(String scope) throws Exception {
        HttpResponse<String> r = post("/login/device/code", Map.of("client_id", CID, "scope", scope), true);
        assertEquals(200, r.statusCode());
        return JSON.readTree(r.body());
    }

    HttpResponse<String> poll(String deviceCode, boolean json) throws Exception {
        return post("/login/oauth/access_token",
                Map.of("client_id", CID, "device_code", deviceCode, "grant_type", GRANT), json);
    }

    JsonNode pollJson(String deviceCode) throws Exception {
        HttpResponse<String> r = poll(deviceCode, true);
        assertEquals(200, r.statusCode(), "GitHub answers device-flow errors with HTTP 200");
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        return JSON.readTree(r.body());
    }

    static void assertError(JsonNode body, String error) {
        assertEquals(error, body.path("error").asText(), body.toString());
        assertTrue(body.path("error_description").isTextual() && !body.path("error_description").asText().isEmpty());
        assertEquals(ERROR_URI, body.path("error_uri").asText());
        assertFalse(body.has("access_token"));
    }

    static Map<String, String> parseForm(String body) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            m.put(java.net.URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return m;
    }

    /** Runs the whole flow for {@code login} and returns the gho_ token. */
    String githubToken(String login) throws Exception {
        JsonNode dc = deviceCode("read:user");
        sim.approve(dc.get("user_code").asText(), login);
        clock.advanceSeconds(5);
        JsonNode ok = pollJson(dc.get("device_code").asText());
        return ok.get("access_token").asText();
    }

    HttpResponse<String> copilotToken(String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/copilot_internal/v2/token")).GET()
                .header("Accept", "application/json");
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> chat(String copilotToken, boolean editorVersion, boolean integrationId, String prompt,
                              boolean stream) throws Exception {
        String body = JSON.createObjectNode().put("model", "gpt-4o").put("stream", stream)
                .set("messages", JSON.createArrayNode()
                        .add(JSON.createObjectNode().put("role", "system").put("content", "be brief"))
                        .add(JSON.createObjectNode().put("role", "user").put("content", prompt))).toString();
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sim.copilotApiUrl() + "/chat/completions"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + copilotToken)
                .header("editor-plugin-version", "infershield/0.1.0").header("X-Initiator", "user")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (editorVersion) {
            b.header("editor-version", "vscode/1.99.0");
        }
        if (integrationId) {
            b.header("copilot-integration-id", "vscode-chat");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    // ---- device code -----------------------------------------------------------------------------------------------

    @Test
    void deviceCodeAsJsonWhenAskedFor() throws Exception {
        HttpResponse<String> r = post("/login/device/code", Map.of("client_id", CID, "scope", "read:user"), true);
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElseThrow().startsWith("application/json"));
        JsonNode b = JSON.readTree(r.body());
        assertEquals(40, b.get("device_code").asText().length());
        assertTrue(b.get("user_code").asText().matches("[A-Z0-9]{4}-[A-Z0-9]{4}"), b.toString());
        assertTrue(b.get("user_code").asText().matches(".*[0-9].*"), "user codes may hold digits");
        assertEquals(sim.baseUrl() + "/login/device", b.get("verification_uri").asText());
        assertTrue(b.get("expires_in").isInt());
        assertEquals(900, b.get("expires_in").asInt());
        assertTrue(b.get("interval").isInt());
        assertEquals(5, b.get("interval").asInt());
        assertFalse(b.has("verification_uri_complete"));
    }

    @Test
    void deviceCodeIsFormEncodedWithoutAcceptJson() throws Exception {
        HttpResponse<String> r = post("/login/device/code", Map.of("client_id", CID, "scope", "read:user"), false);
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElseThrow().startsWith("application/x-www-form-urlencoded"));
        assertFalse(r.body().trim().startsWith("{"));
        Map<String, String> f = parseForm(r.body());
        assertEquals("900", f.get("expires_in"));
        assertEquals("5", f.get("interval"));
        assertEquals(sim.baseUrl() + "/login/device", f.get("verification_uri"));
        assertTrue(f.get("user_code").matches("[A-Z0-9]{4}-[A-Z0-9]{4}"));
        assertEquals(40, f.get("device_code").length());
    }

    @Test
    void deviceCodeErrorsForUnknownAndDisabledClients() throws Exception {
        JsonNode unknown = JSON.readTree(post("/login/device/code", Map.of("client_id", "nope"), true).body());
        assertError(unknown, "incorrect_client_credentials");
        sim.registerClient("Iv1.disabled").deviceFlowEnabled("Iv1.disabled", false);
        HttpResponse<String> r = post("/login/device/code", Map.of("client_id", "Iv1.disabled"), true);
        assertEquals(200, r.statusCode());
        assertError(JSON.readTree(r.body()), "device_flow_disabled");
    }

    // ---- access token polling --------------------------------------------------------------------------------------

    @Test
    void pendingThenSuccessAsJson() throws Exception {
        JsonNode dc = deviceCode("read:user");
        String device = dc.get("device_code").asText();
        clock.advanceSeconds(5);
        assertError(pollJson(device), "authorization_pending");
        sim.approve(dc.get("user_code").asText().toLowerCase(), "alice");
        clock.advanceSeconds(5);
        JsonNode ok = pollJson(device);
        assertTrue(ok.get("access_token").asText().matches("gho_[A-Za-z0-9]{36}"), ok.toString());
        assertEquals("bearer", ok.get("token_type").asText());
        assertEquals("read:user", ok.get("scope").asText());
        assertFalse(ok.has("error"));
        assertEquals("alice", sim.loginOf(ok.get("access_token").asText()));
        // a device code is single-use
        clock.advanceSeconds(5);
        assertError(pollJson(device), "incorrect_device_code");
    }

    @Test
    void successAndErrorsAreFormEncodedWithoutAcceptJson() throws Exception {
        JsonNode dc = deviceCode("read:user user:email");
        String device = dc.get("device_code").asText();
        clock.advanceSeconds(5);
        HttpResponse<String> pending = poll(device, false);
        assertEquals(200, pending.statusCode());
        assertTrue(pending.headers().firstValue("Content-Type").orElseThrow()
                .startsWith("application/x-www-form-urlencoded"));
        Map<String, String> pf = parseForm(pending.body());
        assertEquals("authorization_pending", pf.get("error"));
        assertEquals(ERROR_URI, pf.get("error_uri"));
        sim.approve(dc.get("user_code").asText(), "alice");
        clock.advanceSeconds(5);
        HttpResponse<String> ok = poll(device, false);
        assertTrue(ok.headers().firstValue("Content-Type").orElseThrow().startsWith("application/x-www-form-urlencoded"));
        Map<String, String> f = parseForm(ok.body());
        assertTrue(f.get("access_token").startsWith("gho_"));
        assertEquals("bearer", f.get("token_type"));
        assertEquals("read:user,user:email", f.get("scope"), "several scopes come back comma-separated");
    }

    @Test
    void pollingFasterThanTheIntervalSlowsDownForGood() throws Exception {
        String device = deviceCode("read:user").get("device_code").asText();
        clock.advanceSeconds(4); // before the first interval has passed
        JsonNode s1 = pollJson(device);
        assertError(s1, "slow_down");
        assertTrue(s1.get("interval").isInt());
        assertEquals(10, s1.get("interval").asInt());
        clock.advanceSeconds(9); // the old interval (5) is no longer enough
        JsonNode s2 = pollJson(device);
        assertError(s2, "slow_down");
        assertEquals(15, s2.get("interval").asInt());
        clock.advanceSeconds(15);
        assertError(pollJson(device), "authorization_pending");
        clock.advanceSeconds(15);
        assertError(pollJson(device), "authorization_pending");
        clock.advanceSeconds(14);
        assertEquals(20, pollJson(device).get("interval").asInt());
    }

    @Test
    void slowDownIntervalIsAStringInTheFormBody() throws Exception {
        String device = deviceCode("read:user").get("device_code").asText();
        Map<String, String> f = parseForm(poll(device, false).body());
        assertEquals("slow_down", f.get("error"));
        assertEquals("10", f.get("interval"));
    }

    @Test
    void expiryAfterExpiresIn() throws Exception {
        JsonNode dc = deviceCode("read:user");
        String device = dc.get("device_code").asText();
        clock.advanceSeconds(899);
        assertError(pollJson(device), "authorization_pending");
        clock.advanceSeconds(1);
        assertError(pollJson(device), "expired_token");
        assertThrows(IllegalStateException.class, () -> sim.approve(dc.get("user_code").asText(), "alice"));
    }

    @Test
    void expiryCanBeSpelledTokenExpired() throws Exception {
        sim.useTokenExpiredSpelling(true);
        String device = deviceCode("read:user").get("device_code").asText();
        clock.advanceSeconds(900);
        assertError(pollJson(device), "token_expired");
        Map<String, String> f = parseForm(poll(device, false).body());
        assertEquals("token_expired", f.get("error"));
    }

    @Test
    void denial() throws Exception {
        JsonNode dc = deviceCode("read:user");
        sim.deny(dc.get("user_code").asText());
        clock.advanceSeconds(5);
        assertError(pollJson(dc.get("device_code").asText()), "access_denied");
    }

    @Test
    void incorrectDeviceCode() throws Exception {
        clock.advanceSeconds(5);
        assertError(pollJson("0123456789abcdef0123456789abcdef01234567"), "incorrect_device_code");
    }

    @Test
    void unsupportedGrantType() throws Exception {
        String device = deviceCode("read:user").get("device_code").asText();
        clock.advanceSeconds(5);
        HttpResponse<String> r = post("/login/oauth/access_token",
                Map.of("client_id", CID, "device_code", device, "grant_type", "authorization_code"), true);
        assertEquals(200, r.statusCode());
        assertError(JSON.readTree(r.body()), "unsupported_grant_type");
    }

    @Test
    void unknownClientIsIncorrectClientCredentials() throws Exception {
        String device = deviceCode("read:user").get("device_code").asText();
        clock.advanceSeconds(5);
        HttpResponse<String> r = post("/login/oauth/access_token",
                Map.of("client_id", "Iv1.unknown", "device_code", device, "grant_type", GRANT), true);
        assertEquals(200, r.statusCode());
        assertError(JSON.readTree(r.body()), "incorrect_client_credentials");
    }

    @Test
    void deviceFlowDisabledPerClient() throws Exception {
        String device = deviceCode("read:user").get("device_code").asText();
        sim.deviceFlowEnabled(CID, false);
        clock.advanceSeconds(5);
        assertError(pollJson(device), "device_flow_disabled");
        sim.deviceFlowEnabled(CID, true);
        clock.advanceSeconds(5);
        assertError(pollJson(device), "authorization_pending");
    }

    @Test
    void injectedServerErrorsAndRetryAfter() throws Exception {
        String device = deviceCode("read:user").get("device_code").asText();
        sim.failNext(2, 503);
        clock.advanceSeconds(5);
        HttpResponse<String> e1 = poll(device, true);
        assertEquals(503, e1.statusCode());
        assertTrue(e1.headers().firstValue("Content-Type").orElseThrow().startsWith("text/html"));
        assertEquals(503, poll(device, true).statusCode());
        assertError(pollJson(device), "authorization_pending"); // failures were not counted as polls

        sim.failNext(1, 429, "7");
        clock.advanceSeconds(5);
        HttpResponse<String> limited = poll(device, true);
        assertEquals(429, limited.statusCode());
        assertEquals("7", limited.headers().firstValue("Retry-After").orElseThrow());
        assertError(pollJson(device), "authorization_pending");

        sim.failNext(1, 503, "Wed, 01 Jan 2025 00:01:00 GMT");
        HttpResponse<String> dated = post("/login/device/code", Map.of("client_id", CID), true);
        assertEquals(503, dated.statusCode());
        assertEquals("Wed, 01 Jan 2025 00:01:00 GMT", dated.headers().firstValue("Retry-After").orElseThrow());
    }

    @Test
    void recordsRequests() throws Exception {
        String device = deviceCode("read:user").get("device_code").asText();
        clock.advanceSeconds(5);
        poll(device, false);
        var polls = sim.received("/login/oauth/access_token");
        assertEquals(1, polls.size());
        SimRequest p = polls.get(0);
        assertEquals("POST", p.method());
        assertNull(p.header("Accept"));
        assertTrue(p.header("content-type").startsWith("application/x-www-form-urlencoded"));
        assertTrue(p.body().contains("device_code=" + device));
        assertEquals("application/json", sim.received("/login/device/code").get(0).header("ACCEPT"));
    }

    @Test
    void approveRejectsUnknownCodes() {
        assertThrows(IllegalArgumentException.class, () -> sim.approve("ZZZZ-0000", "alice"));
    }

    // ---- Copilot ---------------------------------------------------------------------------------------------------

    @Test
    void copilotTokenPerUser() throws Exception {
        String alice = githubToken("alice");
        clock.advanceSeconds(5);
        String bob = githubToken("bob");
        HttpResponse<String> ra = copilotToken("token " + alice);
        assertEquals(200, ra.statusCode());
        assertTrue(ra.headers().firstValue("Content-Type").orElseThrow().startsWith("application/json"));
        JsonNode a = JSON.readTree(ra.body());
        JsonNode b = JSON.readTree(copilotToken("token " + bob).body());
        long now = clock.instant().getEpochSecond();
        assertTrue(a.get("token").asText().matches("tid=[0-9a-f]+;exp=" + (now + 1800) + ";sku=[a-z_]+;.*"),
                a.toString());
        assertEquals(now + 1800, a.get("expires_at").asLong());
        assertTrue(a.get("expires_at").isIntegralNumber());
        assertEquals(1500, a.get("refresh_in").asInt());
        assertEquals(sim.baseUrl() + "/copilot-api", a.at("/endpoints/api").asText());
        assertNotEquals(a.get("token").asText(), b.get("token").asText());
        assertNotEquals(a.get("token").asText().split(";")[0], b.get("token").asText().split(";")[0],
                "the tid of two users differs");

        HttpResponse<String> ca = chat(a.get("token").asText(), true, true, "hello from alice", false);
        HttpResponse<String> cb = chat(b.get("token").asText(), true, true, "hello from bob", false);
        assertEquals(200, ca.statusCode());
        assertEquals("Echo: hello from alice",
                JSON.readTree(ca.body()).at("/choices/0/message/content").asText());
        assertEquals("Echo: hello from bob", JSON.readTree(cb.body()).at("/choices/0/message/content").asText());
        var calls = sim.copilotCalls();
        assertEquals(2, calls.size());
        assertEquals("alice", calls.get(0).githubLogin());
        assertEquals("hello from alice", calls.get(0).prompt());
        assertEquals("bob", calls.get(1).githubLogin());
        assertEquals("vscode/1.99.0", calls.get(0).headers().get("editor-version"));
        assertEquals("vscode-chat", calls.get(0).headers().get("copilot-integration-id"));
        assertEquals("user", calls.get(0).headers().get("x-initiator"));
        assertEquals("token " + alice,
                sim.received("/copilot_internal/v2/token").get(0).header("authorization"));
    }

    @Test
    void theDevicePageApprovesOrCancelsACodeForTheLoginTyped() throws Exception {
        JsonNode first = deviceCode("read:user");
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/login/device")).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("name=\"user_code\""));

        HttpResponse<String> ok = post("/login/device", Map.of("user_code",
                first.get("user_code").asText().toLowerCase(), "login", "octo-alice", "action", "authorize"), false);
        assertEquals(200, ok.statusCode());
        assertTrue(ok.body().contains("Device authorized."));
        clock.advanceSeconds(5);
        String token = pollJson(first.get("device_code").asText()).get("access_token").asText();
        assertEquals("octo-alice", sim.loginOf(token));

        JsonNode second = deviceCode("read:user");
        HttpResponse<String> cancel = post("/login/device",
                Map.of("user_code", second.get("user_code").asText(), "action", "cancel"), false);
        assertEquals(200, cancel.statusCode());
        clock.advanceSeconds(5);
        assertError(pollJson(second.get("device_code").asText()), "access_denied");

        assertEquals(404, post("/login/device", Map.of("user_code", "ZZZZ-0000", "login", "x"), false).statusCode());
        assertEquals(400, post("/login/device", Map.of("user_code", deviceCode("read:user").get("user_code").asText()),
                false).statusCode());
    }

    @Test
    void aMintedGitHubTokenOpensCopilotForItsLogin() throws Exception {
        String token = sim.mintGitHubToken("octo-bob");
        assertTrue(token.matches("gho_[A-Za-z0-9]{36}"), token);
        assertEquals("octo-bob", sim.loginOf(token));
        assertEquals(200, copilotToken("token " + token).statusCode());
    }

    @Test
    void copilotTokenRejectsUnknownGitHubToken() throws Exception {
        HttpResponse<String> r = copilotToken("token gho_notatoken");
        assertEquals(401, r.statusCode());
        assertEquals("Bad credentials", JSON.readTree(r.body()).get("message").asText());
        assertEquals(401, copilotToken(null).statusCode());
    }

    @Test
    void copilotChatRequiresEditorHeadersAndACurrentToken() throws Exception {
        String gho = githubToken("alice");
        String token = JSON.readTree(copilotToken("token " + gho).body()).get("token").asText();
        assertEquals(400, chat(token, false, true, "hi", false).statusCode());
        assertEquals(400, chat(token, true, false, "hi", false).statusCode());
        assertEquals(401, chat("tid=forged;exp=9999999999", true, true, "hi", false).statusCode());
        assertEquals(401, chat(gho, true, true, "hi", false).statusCode(), "the GitHub token is not a Copilot token");
        assertEquals(0, sim.copilotCalls().size());

        clock.advanceSeconds(1799);
        assertEquals(200, chat(token, true, true, "still valid", false).statusCode());
        clock.advanceSeconds(1);
        HttpResponse<String> expired = chat(token, true, true, "too late", false);
        assertEquals(401, expired.statusCode());
        // refreshing gives a new token that works
        String fresh = JSON.readTree(copilotToken("token " + gho).body()).get("token").asText();
        assertNotEquals(token, fresh);
        assertEquals(200, chat(fresh, true, true, "again", false).statusCode());
        assertEquals(401, chat(token, true, true, "old one", false).statusCode());
        assertEquals(2, sim.copilotCalls().size());
    }

    @Test
    void copilotChatStreams() throws Exception {
        String gho = githubToken("carol");
        String token = JSON.readTree(copilotToken("token " + gho).body()).get("token").asText();
        HttpResponse<String> r = chat(token, true, true, "stream me", true);
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElseThrow().startsWith("text/event-stream"));
        StringBuilder text = new StringBuilder();
        for (String line : r.body().split("\n")) {
            if (line.startsWith("data: {")) {
                text.append(JSON.readTree(line.substring(6)).at("/choices/0/delta/content").asText(""));
            }
        }
        assertEquals("Echo: stream me", text.toString());
        assertTrue(r.body().endsWith("data: [DONE]\n\n"));
        assertEquals("carol", sim.copilotCalls().get(0).githubLogin());
    }
}
