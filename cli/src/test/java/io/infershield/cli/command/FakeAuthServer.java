package io.infershield.cli.command;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.Scenario;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/** auth-service's device flow, personal key and link contract (docs/architecture.md), served by WireMock. */
final class FakeAuthServer {

    static final String DEVICE_CODE = "dc_k3Pq9ZsecretDeviceCode0123456789";
    static final String USER_CODE = "BCDF-GHJK";
    static final String CREDENTIAL = "isk_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789";
    static final String REFRESH_TOKEN = "isr_RefreshRefreshRefreshRefresh0123456";
    /** The pair a refresh of {@link #REFRESH_TOKEN} returns. */
    static final String ROTATED_CREDENTIAL = "isk_RotatedRotatedRotatedRotated0123456";
    static final String ROTATED_REFRESH_TOKEN = "isr_RotatedRotatedRotatedRotated0123456";
    static final String PERSONAL_KEY = "isk_PersonalPersonalPersonalKey01234567";
    static final String PERSONAL_KEY_EXPIRES_AT = "2025-04-01T10:00:00Z";
    static final String LINK_SESSION_ID = "3f6c1e2a-9b4d-4c1e-8f0a-2d5b7c9e1a34";
    static final String LINK_USER_CODE = "WDJB-MJHT";
    static final String LINK_VERIFICATION_URI = "https://github.com/login/device";
    /** Fifteen minutes after {@link CliRunner#START}, when the tests start their sessions. */
    static final String LINK_EXPIRES_AT = "2025-01-01T10:15:00Z";
    static final String SESSION_PATH = "/v1/links/sessions/" + LINK_SESSION_ID;

    final WireMockServer server = new WireMockServer(options().dynamicPort());

    FakeAuthServer start() {
        server.start();
        String base = url();
        server.stubFor(get("/.well-known/oauth-authorization-server").willReturn(okJson("""
                {"issuer":"%1$s","device_authorization_endpoint":"%1$s/oauth/device_authorization",
                 "token_endpoint":"%1$s/oauth/token","revocation_endpoint":"%1$s/oauth/revoke",
                 "grant_types_supported":["urn:ietf:params:oauth:grant-type:device_code"]}""".formatted(base))));
        server.stubFor(post("/oauth/device_authorization").willReturn(okJson("""
                {"device_code":"%s","user_code":"%s","verification_uri":"%s/device",
                 "verification_uri_complete":"%s/device?user_code=%s","expires_in":900,"interval":5}"""
                .formatted(DEVICE_CODE, USER_CODE, base, base, USER_CODE))));
        server.stubFor(post("/oauth/revoke").willReturn(aResponse().withStatus(200)));
        // only a live access credential creates a key; WireMock answers 404 for any other bearer
        for (String credential : new String[] {CREDENTIAL, ROTATED_CREDENTIAL}) {
            server.stubFor(post("/api/me/personal-keys").withHeader("Authorization", equalTo("Bearer " + credential))
                    .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                            .withHeader("Cache-Control", "no-store").withBody("""
                                    {"id":"0b7e8a52-5d5f-4d5c-9a7e-3f1c2f0f7a11","key":"%s","name":"ide",
                                     "expiresAt":"%s"}""".formatted(PERSONAL_KEY, PERSONAL_KEY_EXPIRES_AT))));
        }
        return this;
    }

    String url() {
        return "http://127.0.0.1:" + server.port();
    }

    /** The token endpoint answers these in turn: an RFC 8628 §3.5 error code, or "ok" for the credential. */
    void tokenAnswers(String... answers) {
        String state = Scenario.STARTED;
        for (int i = 0; i < answers.length; i++) {
            String next = "poll-" + (i + 1);
            var response = "ok".equals(answers[i])
                    ? okJson("{\"access_token\":\"" + CREDENTIAL + "\",\"token_type\":\"Bearer\",\"expires_in\":2592000,"
                            + "\"scope\":\"gateway\",\"refresh_token\":\"" + REFRESH_TOKEN + "\"}")
                    : aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                            .withBody("{\"error\":\"" + answers[i] + "\",\"error_description\":\"as the test says\"}");
            server.stubFor(post("/oauth/token").inScenario("polls").whenScenarioStateIs(state)
                    .willReturn(response).willSetStateTo(next));
            state = next;
        }
    }

    /** The token endpoint exchanges {@link #REFRESH_TOKEN} for the rotated pair, or refuses it with invalid_grant. */
    void refreshAnswers(boolean ok) {
        server.stubFor(post("/oauth/token").withRequestBody(containing("grant_type=refresh_token"))
                .withRequestBody(containing("refresh_token=" + REFRESH_TOKEN))
                .willReturn(ok
                        ? okJson("{\"access_token\":\"" + ROTATED_CREDENTIAL + "\",\"token_type\":\"Bearer\","
                                + "\"expires_in\":3600,\"scope\":\"gateway\",\"refresh_token\":\""
                                + ROTATED_REFRESH_TOKEN + "\"}")
                        : aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                                .withBody("{\"error\":\"invalid_grant\",\"error_description\":\"The refresh token"
                                        + " is invalid, expired, already used or belongs to another client.\"}")));
    }

    /** {@code POST /v1/links/github} starts a session with GitHub's code; GitHub's page has no code filled in. */
    void linkStarts(String credential) {
        server.stubFor(WireMock.post("/v1/links/github").withHeader("Authorization", equalTo("Bearer " + credential))
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json").withBody("""
                        {"id":"%s","provider":"github","state":"pending","userCode":"%s","verificationUri":"%s",
                         "verificationUriComplete":null,"expiresAt":"%s","interval":5}"""
                        .formatted(LINK_SESSION_ID, LINK_USER_CODE, LINK_VERIFICATION_URI, LINK_EXPIRES_AT))));
        server.stubFor(WireMock.delete(SESSION_PATH).willReturn(aResponse().withStatus(204)));
    }

    /**
     * {@code GET} of the session answers these in turn, then repeats the last: a state, {@code failed:<code>} for a
     * failure with the provider's error code, or an HTTP status, answered with a problem.
     */
    void sessionAnswers(String... answers) {
        String state = Scenario.STARTED;
        for (int i = 0; i < answers.length; i++) {
            String next = i == answers.length - 1 ? state : "session-" + (i + 1);
            String[] parts = answers[i].split(":", 2);
            var response = parts[0].matches("\\d+")
                    ? problem(Integer.parseInt(parts[0]), "as the test says", null)
                    : okJson("""
                            {"id":"%s","provider":"github","state":"%s","error":%s,"userCode":"%s",
                             "verificationUri":"%s","expiresAt":"%s"}""".formatted(LINK_SESSION_ID, parts[0],
                            parts.length == 2 ? "\"" + parts[1] + "\"" : "null", LINK_USER_CODE,
                            LINK_VERIFICATION_URI, LINK_EXPIRES_AT));
            server.stubFor(WireMock.get(SESSION_PATH).inScenario("session").whenScenarioStateIs(state)
                    .willReturn(response).willSetStateTo(next));
            state = next;
        }
    }

    /** An RFC 9457 problem, with auth-service's extension member {@code error} when there is a provider's code. */
    static ResponseDefinitionBuilder problem(int status, String detail, String error) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/problem+json").withBody("""
                {"type":"about:blank","title":"as the test says","status":%d,"detail":"%s"%s}"""
                .formatted(status, detail, error == null ? "" : ",\"error\":\"" + error + "\""));
    }

    void stop() {
        server.stop();
    }
}
