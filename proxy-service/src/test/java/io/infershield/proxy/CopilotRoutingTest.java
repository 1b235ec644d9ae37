package io.infershield.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import io.infershield.testkit.quarkus.InjectInfra;
import io.infershield.testkit.quarkus.KafkaResource;
import io.infershield.testkit.quarkus.PostgresResource;
import io.infershield.testkit.sim.GitHubSimulator;
import io.infershield.testkit.sim.OpenAiSimulator;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Requests for {@code copilot/<model>} go to GitHub Copilot with the caller's own Copilot token, which token-service
 * derives from the GitHub account the caller linked (docs/architecture.md). WireMock plays token-service; the testkit's
 * GitHub simulator plays Copilot and records whose token each call carried.
 */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = UpstreamsResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class CopilotRoutingTest {

    static final String ALICE = "isk_alice-copilot-credential";
    static final String BOB = "isk_bob-copilot-credential";
    static final String ALICE_CREDENTIALS = "/internal/v1/tenants/acme/users/alice/credentials/github";
    static final String BOB_CREDENTIALS = "/internal/v1/tenants/acme/users/bob/credentials/github";

    @InjectInfra
    WireMockServer services;
    @InjectInfra
    GitHubSimulator github;
    @InjectInfra
    OpenAiSimulator openai;

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void neighbours() {
        services.resetAll();
        UpstreamsResource.stubServiceToken(services);
        for (String[] user : List.of(new String[] {ALICE, "alice"}, new String[] {BOB, "bob"})) {
            services.stubFor(post(urlEqualTo("/oauth/introspect")).withRequestBody(containing("token=" + user[0]))
                    .willReturn(okJson("{\"active\":true,\"sub\":\"" + user[1] + "\",\"tenant\":\"acme\"}")));
        }
    }

    /** What token-service would hand out for a linked GitHub account: a Copilot token and its API base. */
    private String copilotTokenOf(String githubLogin) throws Exception {
        String githubToken = github.mintGitHubToken(githubLogin);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                        URI.create(github.baseUrl() + "/copilot_internal/v2/token"))
                .header("Authorization", "token " + githubToken).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        return json.readTree(r.body()).get("token").asText();
    }

    private void stubCredential(String path, String copilotToken, long version) {
        services.stubFor(get(urlEqualTo(path))
                .withHeader("Authorization", WireMock.equalTo("Bearer " + UpstreamsResource.SERVICE_TOKEN))
                .willReturn(okJson(UpstreamsResource.credential("github", "user", copilotToken, version,
                        github.copilotApiUrl()))));
    }

    private static String chat(String model, String prompt, boolean stream) {
        return "{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\""
                + prompt + "\"}]}";
    }

    @Test
    void twoUsersAtOnceEachReachCopilotWithOnlyTheirOwnToken() throws Exception {
        stubCredential(ALICE_CREDENTIALS, copilotTokenOf("octo-alice"), 1);
        stubCredential(BOB_CREDENTIALS, copilotTokenOf("octo-bob"), 1);
        int openaiCallsBefore = openai.received().size();
        int copilotCallsBefore = github.copilotCalls().size();

        CompletableFuture<String> alice = CompletableFuture.supplyAsync(() -> given().auth().oauth2(ALICE)
                .contentType(ContentType.JSON).body(chat("copilot/gpt-4o", "alice asks", false))
                .when().post("/v1/chat/completions")
                .then().statusCode(200).extract().path("choices[0].message.content"));
        CompletableFuture<String> bob = CompletableFuture.supplyAsync(() -> given().auth().oauth2(BOB)
                .contentType(ContentType.JSON).body(chat("copilot/gpt-4o", "bob asks", true))
                .when().post("/v1/chat/completions")
                .then().statusCode(200).contentType(org.hamcrest.Matchers.startsWith("text/event-stream"))
                .extract().asString());

        assertEquals("Echo: alice asks", alice.get());
        StringBuilder streamed = new StringBuilder();
        for (String line : bob.get().lines().filter(l -> l.startsWith("data: {")).toList()) {
            streamed.append(json.readTree(line.substring(6)).at("/choices/0/delta/content").asText(""));
        }
        assertEquals("Echo: bob asks", streamed.toString());

        List<GitHubSimulator.CopilotCall> calls = github.copilotCalls().subList(copilotCallsBefore,
                github.copilotCalls().size());
        assertEquals(2, calls.size());
        for (GitHubSimulator.CopilotCall call : calls) {
            String expectedLogin = call.prompt().equals("alice asks") ? "octo-alice" : "octo-bob";
            assertEquals(expectedLogin, call.githubLogin(), "each prompt went out under its own user's Copilot token");
            assertEquals("gpt-4o", call.model(), "the routing prefix is removed");
            assertEquals("vscode/1.95.0", call.headers().get("editor-version"));
            assertEquals("copilot-chat/0.22.4", call.headers().get("editor-plugin-version"));
            assertEquals("vscode-chat", call.headers().get("copilot-integration-id"));
            assertEquals("user", call.headers().get("x-initiator"));
        }
        assertEquals(openaiCallsBefore, openai.received().size(), "nothing went to the OpenAI upstream");
    }

    @Test
    void aRejectedCopilotTokenIsRefreshedOnceAndTheRequestRetried() throws Exception {
        stubCredential(ALICE_CREDENTIALS, "tid=stale;exp=1;sku=x;8kp=1:00", 4);
        services.stubFor(post(urlEqualTo(ALICE_CREDENTIALS + "/refresh"))
                .withHeader("Authorization", WireMock.equalTo("Bearer " + UpstreamsResource.SERVICE_TOKEN))
                .withRequestBody(equalToJson("{\"rejectedVersion\":4}"))
                .willReturn(okJson(UpstreamsResource.credential("github", "user", copilotTokenOf("octo-alice"), 5,
                        github.copilotApiUrl()))));

        given().auth().oauth2(ALICE).contentType(ContentType.JSON).body(chat("copilot/gpt-4o", "after refresh", false))
                .when().post("/v1/chat/completions")
                .then().statusCode(200).body("choices[0].message.content", equalTo("Echo: after refresh"));
        services.verify(1, postRequestedFor(urlEqualTo(ALICE_CREDENTIALS + "/refresh")));
    }

    @Test
    void aTokenStillRejectedAfterOneRefreshGetsAClearErrorAndNoLoop() {
        stubCredential(ALICE_CREDENTIALS, "tid=stale;exp=1;sku=x;8kp=1:00", 4);
        services.stubFor(post(urlEqualTo(ALICE_CREDENTIALS + "/refresh"))
                .willReturn(okJson(UpstreamsResource.credential("github", "user", "tid=still-bad;exp=1", 5,
                        github.copilotApiUrl()))));

        given().auth().oauth2(ALICE).contentType(ContentType.JSON).body(chat("copilot/gpt-4o", "x", false))
                .when().post("/v1/chat/completions")
                .then().statusCode(401)
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.code", equalTo("upstream_link_rejected"));
        services.verify(1, postRequestedFor(urlEqualTo(ALICE_CREDENTIALS + "/refresh")));
    }

    @Test
    void aBrokenLinkTellsTheDeveloperToLinkAgain() {
        services.stubFor(get(urlEqualTo(ALICE_CREDENTIALS)).willReturn(aResponse().withStatus(409)
                .withHeader("Content-Type", "application/problem+json")
                .withBody("{\"status\":409,\"title\":\"Link broken\"}")));

        given().auth().oauth2(ALICE).contentType(ContentType.JSON).body(chat("copilot/gpt-4o", "x", false))
                .when().post("/v1/chat/completions")
                .then().statusCode(401)
                .body("error.code", equalTo("upstream_link_broken"))
                .body("error.message", equalTo("Your linked 'github' account needs to be linked again: run "
                        + "`infershield connect github`."));
    }

    @Test
    void aPlainModelStillGoesToTheDefaultUpstream() {
        services.stubFor(get(urlEqualTo("/internal/v1/tenants/acme/users/alice/credentials/openai"))
                .willReturn(okJson(UpstreamsResource.credential("openai", "org", UpstreamsResource.ORG_KEY, 1, null))));
        int before = github.copilotCalls().size();

        given().auth().oauth2(ALICE).contentType(ContentType.JSON).body(chat("gpt-4o-mini", "plain", false))
                .when().post("/v1/chat/completions")
                .then().statusCode(200).body("choices[0].message.content", equalTo("Echo: plain"));
        assertEquals(before, github.copilotCalls().size());
    }
}
