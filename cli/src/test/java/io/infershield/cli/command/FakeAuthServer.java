package io.infershield.cli.command;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/** auth-service's device flow contract (docs/architecture.md), served by WireMock. */
final class FakeAuthServer {

    static final String DEVICE_CODE = "dc_k3Pq9ZsecretDeviceCode0123456789";
    static final String USER_CODE = "BCDF-GHJK";
    static final String CREDENTIAL = "isk_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789";

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
                    ? okJson("{\"access_token\":\"" + CREDENTIAL + "\",\"token_type\":\"Bearer\",\"expires_in\":2592000,\"scope\":\"gateway\"}")
                    : aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                            .withBody("{\"error\":\"" + answers[i] + "\",\"error_description\":\"as the test says\"}");
            server.stubFor(post("/oauth/token").inScenario("polls").whenScenarioStateIs(state)
                    .willReturn(response).willSetStateTo(next));
            state = next;
        }
    }

    void stop() {
        server.stop();
    }
}
