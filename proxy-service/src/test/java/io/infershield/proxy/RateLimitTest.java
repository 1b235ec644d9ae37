package io.infershield.proxy;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.infershield.testkit.infra.Kafka;
import io.infershield.testkit.quarkus.InjectInfra;
import io.infershield.testkit.quarkus.KafkaResource;
import io.infershield.testkit.quarkus.PostgresResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Per-developer request rates (security checklist D3): tenant {@code rate-limited} allows 3 requests a minute in the
 * test profile, so the fourth within the minute gets a 429 in the shape of the API it was made in, with
 * {@code Retry-After}, and nothing is forwarded. Other developers are not slowed.
 */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = UpstreamsResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class RateLimitTest {

    private static final String CHAT = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    @InjectInfra
    WireMockServer services;
    @InjectInfra
    Kafka kafka;

    @BeforeEach
    void neighbours() {
        services.resetAll();
        UpstreamsResource.stubServiceToken(services);
        for (String user : new String[] {"frank", "grace", "heidi"}) {
            services.stubFor(post(urlEqualTo("/oauth/introspect")).withRequestBody(containing("token=isk_" + user))
                    .willReturn(okJson("{\"active\":true,\"sub\":\"" + user + "\",\"tenant\":\"rate-limited\","
                            + "\"groups\":[]}")));
            services.stubFor(get(urlEqualTo("/internal/v1/tenants/rate-limited/users/" + user + "/credentials/openai"))
                    .willReturn(okJson(UpstreamsResource.credential("openai", "org", UpstreamsResource.ORG_KEY, 1, null))));
            services.stubFor(get(urlEqualTo("/internal/v1/tenants/rate-limited/users/" + user
                    + "/credentials/anthropic")).willReturn(okJson(UpstreamsResource.credential("anthropic", "org",
                    UpstreamsResource.ANTHROPIC_ORG_KEY, 1, null))));
        }
    }

    private Response chat(String user) {
        return given().auth().oauth2("isk_" + user).contentType(ContentType.JSON).body(CHAT)
                .when().post("/v1/chat/completions");
    }

    @Test
    void theFourthRequestInAMinuteGetsAnOpenAiShaped429WithRetryAfterAndIsAudited() throws Exception {
        for (int i = 0; i < 3; i++) {
            chat("frank").then().statusCode(200);
        }
        Response limited = chat("frank");
        // 3 a minute: a request is refilled every 20 s, less what passed since the first of the three (RateLimiterTest
        // checks the arithmetic on a clock it moves; here real time passes)
        int wait = Integer.parseInt(limited.header("retry-after"));
        assertTrue(wait >= 1 && wait <= 20, "retry-after " + wait);
        limited.then().statusCode(429).contentType(ContentType.JSON)
                .body("error.type", equalTo("requests"))
                .body("error.code", equalTo("rate_limit_exceeded"))
                .body("error.param", equalTo(null))
                .body("error.message", equalTo("You are sending requests faster than your organisation allows. "
                        + "Try again in " + wait + " s."));

        var event = TestSupport.json(TestSupport.awaitRequestEvent(kafka, limited.header("x-request-id"))).get("body");
        assertEquals(429, event.get("status").asInt());
        assertEquals("rate_limit_exceeded", event.get("errorCode").asText());

        chat("grace").then().statusCode(200);
    }

    @Test
    void anAnthropicClientGetsAnAnthropicShaped429() {
        for (int i = 0; i < 3; i++) {
            given().header("x-api-key", "isk_heidi").header("anthropic-version", "2023-06-01")
                    .contentType(ContentType.JSON).body("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":8,"
                            + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                    .when().post("/v1/messages").then().statusCode(200);
        }
        given().header("x-api-key", "isk_heidi").header("anthropic-version", "2023-06-01")
                .contentType(ContentType.JSON).body("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":8,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .when().post("/v1/messages")
                .then().statusCode(429).header("retry-after", org.hamcrest.Matchers.matchesPattern("[1-9]|1[0-9]|20"))
                .body("type", equalTo("error"))
                .body("error.type", equalTo("rate_limit_error"))
                .body("error.code", equalTo("rate_limit_exceeded"));
    }
}
