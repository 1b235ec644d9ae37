package io.infershield.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.infershield.proxy.service.TokenBudget;
import io.infershield.testkit.infra.Kafka;
import io.infershield.testkit.quarkus.InjectInfra;
import io.infershield.testkit.quarkus.KafkaResource;
import io.infershield.testkit.quarkus.PostgresResource;
import io.infershield.testkit.sim.AnthropicSimulator;
import io.infershield.testkit.sim.MutableClock;
import io.infershield.testkit.sim.OpenAiSimulator;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Daily token budgets through the real gateway (security checklist D3): tenant {@code budgeted} allows 20 tokens a
 * developer and UTC day in the test profile, other tenants have no budget. The simulators count a word as a token, so
 * a chat "hi" answered "Echo: hi" costs 1 + 2. Usage lands in the real PostgreSQL, before the request's audit event
 * is written: a test that has the event reads the usage. The day is the test clock's.
 */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = UpstreamsResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class BudgetTest {

    private static final String BUDGETED = "budgeted";
    private static final String UNBUDGETED = "unbudgeted";
    private static final long BUDGET = 20;
    private static final String OPENAI_EXHAUSTED = "{\"error\":{\"message\":\"You have used up your daily token budget. "
            + "It starts over at 00:00 UTC; ask your platform team if you need more.\",\"type\":\"insufficient_quota\","
            + "\"param\":null,\"code\":\"insufficient_quota\"}}";
    private static final String ANTHROPIC_EXHAUSTED = "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\","
            + "\"message\":\"You have used up your daily token budget. It starts over at 00:00 UTC; ask your platform "
            + "team if you need more.\",\"code\":\"insufficient_quota\"}}";

    @InjectInfra
    WireMockServer services;
    @InjectInfra
    Kafka kafka;
    @InjectInfra
    PostgresResource.Database db;
    @InjectInfra
    OpenAiSimulator openai;
    @InjectInfra
    AnthropicSimulator anthropic;
    @Inject
    MutableClock clock;
    @Inject
    TokenBudget budget;

    @BeforeEach
    void developers() {
        services.resetAll();
        UpstreamsResource.stubServiceToken(services);
        developer(BUDGETED, "ivan", "judy", "ken", "leo", "mia", "olga", "pete", "quinn");
        developer(UNBUDGETED, "nina");
    }

    private void developer(String tenant, String... users) {
        for (String user : users) {
            services.stubFor(post(urlEqualTo("/oauth/introspect")).withRequestBody(containing("token=isk_" + user))
                    .willReturn(okJson("{\"active\":true,\"sub\":\"" + user + "\",\"tenant\":\"" + tenant + "\","
                            + "\"groups\":[]}")));
            for (String provider : new String[] {"openai", "anthropic"}) {
                services.stubFor(get(urlEqualTo("/internal/v1/tenants/" + tenant + "/users/" + user + "/credentials/"
                        + provider)).willReturn(okJson(UpstreamsResource.credential(provider, "org",
                        provider.equals("openai") ? UpstreamsResource.ORG_KEY : UpstreamsResource.ANTHROPIC_ORG_KEY, 1,
                        null))));
            }
        }
    }

    private static Response chat(String user, String prompt, boolean stream) {
        return given().auth().oauth2("isk_" + user).contentType(ContentType.JSON)
                .body("{\"model\":\"gpt-4o-mini\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\","
                        + "\"content\":\"" + prompt + "\"}]}")
                .when().post("/v1/chat/completions");
    }

    private static Response message(String user, String path, boolean stream) {
        return given().header("x-api-key", "isk_" + user).header("anthropic-version", "2023-06-01")
                .contentType(ContentType.JSON).body("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":8,\"stream\":"
                        + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .when().post(path);
    }

    private LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    /** Moves the test clock forward to {@code seconds} before a UTC midnight, at least a day ahead. */
    private void secondsBeforeMidnight(long seconds) {
        clock.set(today().plusDays(2).atStartOfDay(ZoneOffset.UTC).toInstant().minusSeconds(seconds));
    }

    /** The developer's {@code [input, output]} tokens on {@code day}, or null without a row. */
    private List<Long> stored(String tenant, String subject, LocalDate day) throws Exception {
        try (Connection c = db.connect(); PreparedStatement q = c.prepareStatement(
                "select input_tokens, output_tokens from token_usage where tenant = ? and subject = ? and day = ?")) {
            q.setString(1, tenant);
            q.setString(2, subject);
            q.setObject(3, day);
            try (ResultSet rows = q.executeQuery()) {
                return rows.next() ? List.of(rows.getLong(1), rows.getLong(2)) : null;
            }
        }
    }

    private void seed(String tenant, String subject, LocalDate day, long input, long output) throws Exception {
        try (Connection c = db.connect(); PreparedStatement q = c.prepareStatement(
                "insert into token_usage (tenant, subject, day, input_tokens, output_tokens) values (?, ?, ?, ?, ?)")) {
            q.setString(1, tenant);
            q.setString(2, subject);
            q.setObject(3, day);
            q.setLong(4, input);
            q.setLong(5, output);
            q.executeUpdate();
        }
    }

    /** The body of the audit event of the request answered with {@code response}. */
    private JsonNode event(Response response) throws Exception {
        return TestSupport.json(TestSupport.awaitRequestEvent(kafka, response.header("x-request-id"))).get("body");
    }

    @Test
    void underTheBudgetAChatIsForwardedAndTheUsageItReportsIsCountedAndAudited() throws Exception {
        Response answer = chat("ivan", "hi", false);
        answer.then().statusCode(200);
        assertEquals(3, answer.jsonPath().getInt("usage.total_tokens"), "the client gets the usage as it came");

        JsonNode event = event(answer);
        assertEquals(TestSupport.json("{\"inputTokens\":1,\"outputTokens\":2,\"estimated\":false}"), event.get("usage"));
        assertEquals(List.of(1L, 2L), stored(BUDGETED, "ivan", today()));
    }

    @Test
    void aStreamWhoseClientDidNotAskForUsageIsCountedAndRelayedWithoutIt() throws Exception {
        Response answer = chat("judy", "hi there", true);
        answer.then().statusCode(200).contentType("text/event-stream");

        String forwarded = openai.received().get(openai.received().size() - 1).body();
        assertEquals(true, TestSupport.json(forwarded).at("/stream_options/include_usage").asBoolean(), forwarded);
        List<String> data = TestSupport.sseData(answer.asString());
        assertEquals("[DONE]", data.get(data.size() - 1));
        StringBuilder text = new StringBuilder();
        for (String chunk : data.subList(0, data.size() - 1)) {
            JsonNode node = TestSupport.json(chunk);
            assertFalse(node.has("usage"), chunk);
            assertEquals(1, node.get("choices").size(), chunk);
            text.append(node.at("/choices/0/delta/content").asText(""));
        }
        assertEquals("Echo: hi there", text.toString());
        assertEquals(6, data.size(), "role, three words, stop, [DONE]: the stream the client asked for");

        JsonNode event = event(answer);
        assertEquals(TestSupport.json("{\"inputTokens\":2,\"outputTokens\":3,\"estimated\":false}"), event.get("usage"));
        assertEquals(List.of(2L, 3L), stored(BUDGETED, "judy", today()));
    }

    @Test
    void aStreamWhoseClientAskedForUsageKeepsItsUsageChunk() throws Exception {
        Response answer = given().auth().oauth2("isk_olga").contentType(ContentType.JSON)
                .body("{\"model\":\"gpt-4o-mini\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .when().post("/v1/chat/completions");

        answer.then().statusCode(200);
        List<String> data = TestSupport.sseData(answer.asString());
        JsonNode usageChunk = TestSupport.json(data.get(data.size() - 2));
        assertEquals(0, usageChunk.get("choices").size());
        assertEquals(TestSupport.json("{\"prompt_tokens\":1,\"completion_tokens\":2,\"total_tokens\":3}"),
                usageChunk.get("usage"));
        assertTrue(TestSupport.json(data.get(0)).get("usage").isNull(), "the chunks as the upstream sent them");
    }

    @Test
    void embeddingsAndAStreamedResponseAreCounted() throws Exception {
        Response embedded = given().auth().oauth2("isk_quinn").contentType(ContentType.JSON)
                .body("{\"model\":\"text-embedding-3-small\",\"input\":\"one two three\"}")
                .when().post("/v1/embeddings");
        embedded.then().statusCode(200).body("usage.prompt_tokens", equalTo(3));
        assertEquals(TestSupport.json("{\"inputTokens\":3,\"outputTokens\":0,\"estimated\":false}"),
                event(embedded).get("usage"));
        Response streamed = given().auth().oauth2("isk_quinn").contentType(ContentType.JSON)
                .body("{\"model\":\"gpt-4o-mini\",\"stream\":true,\"input\":\"hi\"}")
                .when().post("/v1/responses");
        streamed.then().statusCode(200);

        assertEquals(TestSupport.json("{\"inputTokens\":1,\"outputTokens\":2,\"estimated\":false}"),
                event(streamed).get("usage"));
        assertEquals(List.of(4L, 2L), stored(BUDGETED, "quinn", today()));
    }

    @Test
    void anAnthropicMessageIsCountedStreamedAndNot() throws Exception {
        Response whole = message("ken", "/v1/messages", false);
        whole.then().statusCode(200);
        assertEquals(TestSupport.json("{\"inputTokens\":1,\"outputTokens\":2,\"estimated\":false}"),
                event(whole).get("usage"));
        Response streamed = message("ken", "/v1/messages", true);
        streamed.then().statusCode(200);

        // message_start: 1 input token and 1 output token so far; message_delta: 2 output tokens in all
        assertEquals(TestSupport.json("{\"inputTokens\":1,\"outputTokens\":2,\"estimated\":false}"),
                event(streamed).get("usage"));
        assertEquals(List.of(2L, 4L), stored(BUDGETED, "ken", today()));
    }

    @Test
    void atTheBudgetAnOpenAiClientGetsAQuotaErrorUntilMidnightThatItsSdkDoesNotRetryAndNothingIsForwarded()
            throws Exception {
        secondsBeforeMidnight(4000);
        seed(BUDGETED, "leo", today(), 15, 5);
        int forwarded = openai.received().size();

        Response refused = chat("leo", "hi", true);
        refused.then().statusCode(429).contentType(ContentType.JSON)
                .header("retry-after", "4000")
                .header("x-should-retry", "false");
        assertEquals(TestSupport.json(OPENAI_EXHAUSTED), TestSupport.json(refused.asString()));
        assertEquals(forwarded, openai.received().size(), "nothing reached the upstream");

        JsonNode event = event(refused);
        assertEquals(429, event.get("status").asInt());
        assertEquals("insufficient_quota", event.get("errorCode").asText());
        assertTrue(event.get("usage").isNull());
        assertTrue(event.get("upstream").isNull());

        chat("olga", "hi", false).then().statusCode(200);
        clock.advance(Duration.ofSeconds(3999));
        chat("leo", "hi", false).then().statusCode(429).header("retry-after", "1");
        clock.advance(Duration.ofSeconds(1));
        chat("leo", "hi", false).then().statusCode(200);
    }

    @Test
    void atTheBudgetAnAnthropicClientGetsARateLimitErrorButMayStillCountTokensAndListModels() throws Exception {
        secondsBeforeMidnight(86_399);
        seed(BUDGETED, "mia", today(), BUDGET, 0);
        int forwarded = anthropic.received().size();

        Response refused = message("mia", "/v1/messages", false);
        refused.then().statusCode(429).contentType(ContentType.JSON)
                .header("retry-after", "86399")
                .header("x-should-retry", "false");
        assertEquals(TestSupport.json(ANTHROPIC_EXHAUSTED), TestSupport.json(refused.asString()));
        message("mia", "/v1/messages", true).then().statusCode(429);
        assertEquals(forwarded, anthropic.received().size(), "nothing reached the upstream");

        message("mia", "/v1/messages/count_tokens", false).then().statusCode(200);
        given().header("x-api-key", "isk_mia").header("anthropic-version", "2023-06-01")
                .when().get("/v1/models").then().statusCode(200);
        assertEquals(List.of(BUDGET, 0L), stored(BUDGETED, "mia", today()), "neither costs tokens");
    }

    @Test
    void theRequestThatCrossesTheBudgetIsServedAndTheNextIsRefused() throws Exception {
        seed(BUDGETED, "pete", today(), 18, 0);

        event(chat("pete", "hi", false).then().statusCode(200).extract().response());
        assertEquals(List.of(19L, 2L), stored(BUDGETED, "pete", today()), "overshot by the request in flight");
        chat("pete", "hi", false).then().statusCode(429);
    }

    @Test
    void aTenantWithoutABudgetIsNeitherLimitedNorAskedForUsage() throws Exception {
        seed(UNBUDGETED, "nina", today(), 1_000_000, 1_000_000);

        Response answer = chat("nina", "hi", true);
        answer.then().statusCode(200);
        String forwarded = openai.received().get(openai.received().size() - 1).body();
        assertFalse(forwarded.contains("stream_options"), forwarded);
        // no usage in the stream: counted at the estimate, and said so
        assertTrue(event(answer).at("/usage/estimated").asBoolean());
    }

    @Test
    void theCleanUpDeletesTheDaysPastTheRetentionAndKeepsTheRest() throws Exception {
        LocalDate today = today();
        seed(BUDGETED, "old", today.minusDays(31), 1, 1);
        seed(BUDGETED, "old", today.minusDays(30), 2, 2);

        budget.cleanUp().await().atMost(Duration.ofSeconds(10));

        assertEquals(null, stored(BUDGETED, "old", today.minusDays(31)));
        assertEquals(List.of(2L, 2L), stored(BUDGETED, "old", today.minusDays(30)));
    }
}
