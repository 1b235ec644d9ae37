package io.infershield.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import io.infershield.testkit.infra.Kafka;
import io.infershield.testkit.quarkus.InjectInfra;
import io.infershield.testkit.quarkus.KafkaResource;
import io.infershield.testkit.quarkus.PostgresResource;
import io.infershield.testkit.sim.OpenAiSimulator;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = UpstreamsResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class ChatCompletionsTest {

    static final String ALICE = "isk_alice-credential-for-tests";
    static final String UNKNOWN = "isk_nobody-knows-this-one";
    static final String BASIC_INTROSPECT = "Basic cHJveHktc2VydmljZTp0ZXN0LWludHJvc3BlY3Rpb24tc2VjcmV0";
    static final String CHAT = """
            {"model":"gpt-4o-mini","messages":[{"role":"user","content":"hello gateway"}]}""";

    @InjectInfra
    WireMockServer services;
    @InjectInfra
    OpenAiSimulator openai;
    @InjectInfra
    Kafka kafka;

    private final ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void neighbours() {
        services.resetAll();
        services.stubFor(post(urlEqualTo("/oauth/introspect"))
                .withHeader("Authorization", WireMock.equalTo(BASIC_INTROSPECT))
                .withRequestBody(containing("token=" + ALICE))
                .willReturn(okJson("""
                        {"active":true,"sub":"alice","tenant":"acme","client_id":"infershield-cli","exp":4102444800}""")));
        services.stubFor(post(urlEqualTo("/oauth/introspect"))
                .withRequestBody(containing("token=" + UNKNOWN))
                .willReturn(okJson("{\"active\":false}")));
        UpstreamsResource.stubServiceToken(services);
        services.stubFor(get(urlEqualTo("/internal/v1/tenants/acme/users/alice/credentials/openai"))
                .withHeader("Authorization", WireMock.equalTo("Bearer " + UpstreamsResource.SERVICE_TOKEN))
                .withHeader("X-InferShield-Purpose", WireMock.equalTo("proxy-request"))
                .willReturn(okJson(UpstreamsResource.credential("openai", "org", UpstreamsResource.ORG_KEY, 1, null))));
    }

    @Test
    void forwardsWithTheOrgKeyAndReturnsTheCompletion() {
        given().auth().oauth2(ALICE).contentType(ContentType.JSON).body(CHAT)
                .when().post("/v1/chat/completions")
                .then().statusCode(200)
                .header("x-request-id", org.hamcrest.Matchers.matchesPattern("[0-9a-f-]{36}"))
                .body("object", equalTo("chat.completion"))
                .body("choices[0].message.content", equalTo("Echo: hello gateway"));

        OpenAiSimulator.Received last = openai.received().get(openai.received().size() - 1);
        assertEquals(UpstreamsResource.ORG_KEY, last.apiKey(), "the upstream sees the org key, never the isk_ credential");
    }

    @Test
    void streamsServerSentEventsChunkByChunk() throws Exception {
        String body = given().auth().oauth2(ALICE).contentType(ContentType.JSON)
                .body("""
                        {"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"stream me please"}]}""")
                .when().post("/v1/chat/completions")
                .then().statusCode(200)
                .contentType(org.hamcrest.Matchers.startsWith("text/event-stream"))
                .extract().asString();

        StringBuilder text = new StringBuilder();
        List<String> events = body.lines().filter(l -> l.startsWith("data: ")).map(l -> l.substring(6)).toList();
        assertEquals("[DONE]", events.get(events.size() - 1));
        for (String e : events.subList(0, events.size() - 1)) {
            JsonNode chunk = json.readTree(e);
            assertEquals("chat.completion.chunk", chunk.get("object").asText());
            text.append(chunk.path("choices").path(0).path("delta").path("content").asText(""));
        }
        assertEquals("Echo: stream me please", text.toString());
        assertTrue(events.size() > 4, "one event per word, not one buffered blob");
    }

    @Test
    void listsModelsFromTheUpstream() {
        given().auth().oauth2(ALICE)
                .when().get("/v1/models")
                .then().statusCode(200)
                .body("object", equalTo("list"))
                .body("data[0].id", equalTo(OpenAiSimulator.MODEL));
    }

    @Test
    void missingCredentialIsRejectedInOpenAiShape() {
        given().contentType(ContentType.JSON).body(CHAT)
                .when().post("/v1/chat/completions")
                .then().statusCode(401)
                .contentType(ContentType.JSON)
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.code", equalTo("invalid_api_key"))
                .body("error.param", nullValue());
        services.verify(0, WireMock.postRequestedFor(urlEqualTo("/oauth/introspect")));
    }

    @Test
    void unknownOrRevokedCredentialIsRejectedAndNothingIsForwarded() {
        int before = openai.received().size();
        given().auth().oauth2(UNKNOWN).contentType(ContentType.JSON).body(CHAT)
                .when().post("/v1/chat/completions")
                .then().statusCode(401)
                .body("error.code", equalTo("invalid_api_key"))
                .body("error.message", equalTo("The InferShield credential is unknown, expired or revoked. Sign in again with `infershield login`."));
        given().auth().oauth2(UNKNOWN).when().get("/v1/models").then().statusCode(401).body("error.code", equalTo("invalid_api_key"));
        assertEquals(before, openai.received().size());
    }

    @Test
    void malformedJsonGets400() {
        given().auth().oauth2(ALICE).contentType(ContentType.JSON).body("{\"model\": \"gpt-4o-mini\", \"messages\": [")
                .when().post("/v1/chat/completions")
                .then().statusCode(400)
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.code", equalTo("invalid_json"));
    }

    @Test
    void aJsonArrayIsNotARequest() {
        given().auth().oauth2(ALICE).contentType(ContentType.JSON).body("[1,2,3]")
                .when().post("/v1/chat/completions")
                .then().statusCode(400).body("error.code", equalTo("invalid_json"));
    }

    @Test
    void missingMessagesNamesTheParameter() {
        given().auth().oauth2(ALICE).contentType(ContentType.JSON).body("{\"model\":\"gpt-4o-mini\"}")
                .when().post("/v1/chat/completions")
                .then().statusCode(400)
                .body("error.code", equalTo("invalid_request"))
                .body("error.param", equalTo("messages"));
    }

    @Test
    void wrongContentTypeGets415() {
        given().auth().oauth2(ALICE).contentType(ContentType.TEXT).body(CHAT)
                .when().post("/v1/chat/completions")
                .then().statusCode(415)
                .body("error.code", equalTo("unsupported_media_type"));
    }

    @Test
    void oversizedBodyGets413BeforeAuthIsEvenAsked() {
        String huge = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "a".repeat(4_200_000) + "\"}]}";
        given().auth().oauth2(ALICE).contentType(ContentType.JSON).body(huge)
                .when().post("/v1/chat/completions")
                .then().statusCode(413)
                .body("error.code", equalTo("request_too_large"));
        services.verify(0, WireMock.postRequestedFor(urlEqualTo("/oauth/introspect")));
    }

    @Test
    void unknownPathGets404InOpenAiShape() {
        given().auth().oauth2(ALICE).when().get("/v1/nothing-here")
                .then().statusCode(404).body("error.code", equalTo("unknown_url"));
    }

    @Test
    void tenantWithoutAnOrgKeyGets503() {
        services.stubFor(get(urlEqualTo("/internal/v1/tenants/acme/users/alice/credentials/openai"))
                .willReturn(aResponse().withStatus(404).withHeader("Content-Type", "application/problem+json")
                        .withBody("{\"status\":404,\"title\":\"Not Found\"}")));
        given().auth().oauth2(ALICE).contentType(ContentType.JSON).body(CHAT)
                .when().post("/v1/chat/completions")
                .then().statusCode(503).body("error.code", equalTo("upstream_not_configured"))
                .body("error.message", equalTo("No credential for provider 'openai': link your own account with "
                        + "`infershield connect openai`, or ask your platform team for an organisation key."));
    }

    @Test
    void tokenServiceDownGets503NotA500() {
        services.stubFor(get(urlEqualTo("/internal/v1/tenants/acme/users/alice/credentials/openai"))
                .willReturn(aResponse().withStatus(503)));
        given().auth().oauth2(ALICE).contentType(ContentType.JSON).body(CHAT)
                .when().post("/v1/chat/completions")
                .then().statusCode(503).body("error.code", equalTo("token_service_unavailable"));
    }

    @Test
    void authServiceDownGets503NotA500() {
        services.stubFor(post(urlEqualTo("/oauth/introspect")).willReturn(aResponse().withStatus(500)));
        given().auth().oauth2(ALICE).contentType(ContentType.JSON).body(CHAT)
                .when().post("/v1/chat/completions")
                .then().statusCode(503).body("error.code", equalTo("auth_unavailable"));
    }

    @Test
    void upstreamRejectingTheOrgKeyIsNotBlamedOnTheDeveloper() {
        services.stubFor(get(urlEqualTo("/internal/v1/tenants/acme/users/alice/credentials/openai"))
                .willReturn(okJson(UpstreamsResource.credential("openai", "org", "sk-wrong-org-key", 1, null))));
        given().auth().oauth2(ALICE).contentType(ContentType.JSON).body(CHAT)
                .when().post("/v1/chat/completions")
                .then().statusCode(502).body("error.code", equalTo("upstream_auth_failed"));
    }

    @Test
    void everyRequestPublishesOneAuditEventWithoutThePrompt() throws Exception {
        String secretPrompt = "my-private-prompt-" + UUID.randomUUID();
        Response response = given().auth().oauth2(ALICE).contentType(ContentType.JSON)
                .body("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"" + secretPrompt + "\"}]}")
                .when().post("/v1/chat/completions");
        response.then().statusCode(200);
        String requestId = response.header("x-request-id");

        ConsumerRecord<String, String> record = awaitEvent(requestId).orElseThrow();
        JsonNode event = json.readTree(record.value());
        assertEquals("proxy.request.completed", event.get("type").asText());
        assertEquals(1, event.get("version").asInt());
        assertEquals("acme", event.get("tenant").asText());
        assertEquals("alice", event.get("subject").asText());
        assertEquals(200, event.at("/body/status").asInt());
        assertEquals("gpt-4o-mini", event.at("/body/model").asText());
        assertEquals("org-key", event.at("/body/credential").asText());
        assertFalse(record.value().contains(secretPrompt), "the prompt never goes into an event");
        assertFalse(record.value().contains(UpstreamsResource.ORG_KEY), "the key never goes into an event");
        assertFalse(record.value().contains(ALICE), "the credential never goes into an event");
    }

    private Optional<ConsumerRecord<String, String>> awaitEvent(String requestId) {
        Map<String, Object> props = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("proxy-events"));
            Instant deadline = Instant.now().plusSeconds(20);
            while (Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.value().contains(requestId)) {
                        return Optional.of(r);
                    }
                }
            }
        }
        return Optional.empty();
    }
}
