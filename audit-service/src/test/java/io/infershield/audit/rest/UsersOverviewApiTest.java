package io.infershield.audit.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.infershield.audit.TestEvents;
import io.infershield.events.EventEnvelope;
import io.infershield.events.Topics;
import io.infershield.testkit.infra.Kafka;
import io.infershield.testkit.quarkus.InjectInfra;
import io.infershield.testkit.quarkus.KafkaResource;
import io.infershield.testkit.quarkus.PostgresResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.infershield.audit.ReportEvents.auth;
import static io.infershield.audit.ReportEvents.event;
import static io.infershield.audit.ReportEvents.finding;
import static io.infershield.audit.ReportEvents.request;
import static io.infershield.audit.TestEvents.awaitEvents;
import static io.infershield.audit.rest.ReportApiTest.at;
import static io.infershield.audit.rest.ReportApiTest.map;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

@QuarkusTest
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class UsersOverviewApiTest {

    @InjectInfra
    Kafka kafka;

    private TestEvents events;

    @BeforeEach
    void connect() {
        events = new TestEvents(kafka);
    }

    @AfterEach
    void disconnect() {
        events.close();
    }

    @Test
    void usersAreListedRiskiestFirstAndPaged() {
        String tenant = "tenant-" + UUID.randomUUID();
        String steady = "steady-" + UUID.randomUUID();   // 10 requests, 1 blocked: risky 1, 100 per 1,000
        String leaky = "leaky-" + UUID.randomUUID();     // 2 requests, 1 high-score finding: risky 1, 500 per 1,000
        String blocked = "blocked-" + UUID.randomUUID(); // 1 request, blocked, 2 high-score findings: 1,000 per 1,000
        String quiet = "quiet-" + UUID.randomUUID();     // signed in only: no request
        String noisy = "noisy-" + UUID.randomUUID();     // 3 requests with a low-score finding each: risky 0
        List<EventEnvelope<JsonNode>> sent = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            sent.add(event("proxy.request.completed", tenant, steady, at(i), request("/v1/chat/completions",
                    "openai", "gpt-4o", i == 0 ? 400 : 200, null, i == 0 ? "block" : "allow", 1L, 1L, false)));
        }
        sent.add(event("proxy.request.completed", tenant, leaky, at(1), request("/v1/chat/completions", "openai",
                "gpt-4o", 200, null, "redact", 1L, 1L, false,
                finding("secret", "openai_key", 90, "redact", "sk-…[REDACTED]", "aa", "/messages/0/content"))));
        sent.add(event("proxy.request.completed", tenant, leaky, at(2), request("/v1/chat/completions", "openai",
                "gpt-4o", 200, null, "allow", 1L, 1L, false)));
        sent.add(event("proxy.request.completed", tenant, blocked, at(3), request("/v1/messages", "anthropic",
                "claude", 400, "blocked_by_policy", "block", null, null, false,
                finding("prompt_injection", "role_manipulation", 88, "block", "You are now…", null, "/messages/0"),
                finding("secret", "aws_access_key", 97, "block", "AKIA…[REDACTED]", "bb", "/messages/1"))));
        sent.add(event("auth.device.approved", tenant, quiet, at(30), auth(null, null)));
        for (int i = 0; i < 3; i++) {
            sent.add(event("proxy.request.completed", tenant, noisy, at(40 + i), request("/v1/completions",
                    "openai", "gpt-4o", 200, null, "allow", 1L, 1L, false,
                    finding("pii", "email", 50, "alert", "b…@example.com", "cc", "/prompt"))));
        }
        sent.add(event("proxy.request.completed", tenant, null, at(50), request("/v1/models", null, null, 401,
                "invalid_api_key", null, null, null, false)));
        sent.forEach(e -> events.send(Topics.PROXY_EVENTS, e));
        awaitEvents(Map.of("tenant", tenant, "limit", "1000"), p -> p.getList("$").size() == sent.size());

        given().auth().oauth2(TestEvents.token("carol", "ciso"))
                .queryParam("from", "2025-03-01").queryParam("to", "2025-03-31").queryParam("tenant", tenant)
                .when().get("/api/reports/users")
                .then().statusCode(200).contentType(ContentType.JSON)
                .body("period", equalTo(map("from", "2025-03-01T00:00:00Z", "to", "2025-04-01T00:00:00Z")))
                .body("total", is(5))
                .body("offset", is(0))
                .body("limit", is(100))
                .body("users", equalTo(List.of(
                        row(tenant, blocked, 1, 1, 2, 2, 1, 1000.0f, at(3)),
                        row(tenant, leaky, 2, 0, 1, 1, 1, 500.0f, at(2)),
                        row(tenant, steady, 10, 1, 0, 0, 1, 100.0f, at(9)),
                        row(tenant, noisy, 3, 0, 3, 0, 0, 0.0f, at(42)),
                        row(tenant, quiet, 0, 0, 0, 0, 0, null, at(30)))));

        given().auth().oauth2(TestEvents.token("alice", "admin"))
                .queryParam("from", "2025-03-01").queryParam("to", "2025-03-31").queryParam("tenant", tenant)
                .queryParam("limit", 2).queryParam("offset", 2)
                .when().get("/api/reports/users")
                .then().statusCode(200)
                .body("total", is(5)).body("offset", is(2)).body("limit", is(2))
                .body("users.subject", equalTo(List.of(steady, noisy)));
        given().auth().oauth2(TestEvents.token("alice", "admin"))
                .queryParam("from", "2025-03-01").queryParam("to", "2025-03-31").queryParam("tenant", tenant)
                .queryParam("offset", 10)
                .when().get("/api/reports/users")
                .then().statusCode(200)
                .body("total", is(5)).body("offset", is(10))
                .body("users", equalTo(List.of()));
        given().auth().oauth2(TestEvents.token("alice", "admin"))
                .queryParam("from", "2025-04-01").queryParam("to", "2025-04-30").queryParam("tenant", tenant)
                .when().get("/api/reports/users")
                .then().statusCode(200)
                .body("total", is(0))
                .body("users", equalTo(List.of()));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "limit=0                                           | limit must be an integer from 1 to 1000.",
            "limit=1001                                        | limit must be an integer from 1 to 1000.",
            "offset=-1                                         | offset must be an integer from 0 to 100000.",
            "offset=ten                                        | offset must be an integer from 0 to 100000.",
            "offset=100001                                     | offset must be an integer from 0 to 100000.",
            "from=yesterday                                    | from must be an ISO-8601 instant such as 2025-01-31T12:00:00Z or a date such as 2025-01-31, in the years 1 to 9999.",
            "from=2025-02-01T00:00:00Z&to=2025-01-01T00:00:00Z | from must not be after to.",
            "from=2023-01-01&to=2025-01-01                     | from and to must be at most 366 days apart; ask for several reports.",
            "tenant=%00                                        | tenant must be at most 256 characters without control characters.",
    })
    void invalidParametersAreRejectedWithProblemDetails(String query, String detail) {
        given().auth().oauth2(TestEvents.token("alice", "admin")).urlEncodingEnabled(false)
                .when().get("/api/reports/users?" + query)
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", is("about:blank"))
                .body("title", is("Bad Request"))
                .body("status", is(400))
                .body("detail", is(detail));
    }

    private static Map<String, Object> row(String tenant, String subject, int requests, int blocked, int findings,
            int high, int risky, Float rate, java.time.Instant lastSeen) {
        return map("tenant", tenant, "subject", subject, "requests", requests, "blocked", blocked,
                "findings", findings, "highScoreFindings", high, "riskyRequests", risky,
                "riskyPer1000Requests", rate, "lastSeen", lastSeen.toString());
    }
}
