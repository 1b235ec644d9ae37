package io.infershield.audit.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infershield.audit.TestEvents;
import io.infershield.events.EventEnvelope;
import io.infershield.events.Topics;
import io.infershield.testkit.infra.Kafka;
import io.infershield.testkit.quarkus.InjectInfra;
import io.infershield.testkit.quarkus.KafkaResource;
import io.infershield.testkit.quarkus.PostgresResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URL;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.infershield.audit.ReportEvents.auth;
import static io.infershield.audit.ReportEvents.event;
import static io.infershield.audit.ReportEvents.finding;
import static io.infershield.audit.ReportEvents.link;
import static io.infershield.audit.ReportEvents.policy;
import static io.infershield.audit.ReportEvents.request;
import static io.infershield.audit.ReportEvents.token;
import static io.infershield.audit.TestEvents.awaitEvents;
import static io.infershield.audit.TestEvents.uniqueSubject;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class ReportApiTest {

    private static final Instant FROM = Instant.parse("2025-03-01T00:00:00Z");
    private static final Instant TO = Instant.parse("2025-04-01T00:00:00Z");

    @InjectInfra
    Kafka kafka;

    @InjectInfra
    PostgresResource.Database db;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

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
    void reportCountsEveryPartOfTheSubjectsActivityInTheDatabase() {
        String subject = uniqueSubject();
        String tenant = "tenant-" + UUID.randomUUID();
        List<EventEnvelope<JsonNode>> sent = new ArrayList<>();
        // Requests: allow, redact (high-score secret), block (high-score injection and a low-score PII), refused.
        sent.add(event("proxy.request.completed", tenant, subject, at(1), request("/v1/chat/completions", "openai",
                "gpt-4o", 200, null, "allow", 100L, 50L, false)));
        sent.add(event("proxy.request.completed", tenant, subject, at(2), request("/v1/chat/completions", "openai",
                "gpt-4o", 200, null, "redact", 10L, 5L, true,
                finding("secret", "github_pat", 95, "redact", "ghp_…[REDACTED:github_pat]", "0123456789abcdef",
                        "/messages/0/content"))));
        sent.add(event("proxy.request.completed", tenant, subject, at(3), request("/v1/messages", "anthropic",
                "claude-sonnet-4", 400, "blocked_by_policy", "block", null, null, false,
                finding("prompt_injection", "instruction_override", 85, "block", "Ignore all previous…", null,
                        "/messages/1/content/0/text"),
                finding("pii", "email", 60, "alert", "a…@example.com", "fedcba9876543210",
                        "/messages/1/content/0/text"))));
        sent.add(event("proxy.request.completed", tenant, subject, at(4), request("/v1/chat/completions", null, null,
                429, "rate_limit_exceeded", null, null, null, false)));
        // Outside the period, and another subject inside it: neither counts.
        sent.add(event("proxy.request.completed", tenant, subject, FROM.minusMillis(1), request(
                "/v1/chat/completions", "openai", "gpt-4o", 200, null, "block", 1L, 1L, false)));
        sent.add(event("proxy.request.completed", tenant, uniqueSubject(), at(5), request(
                "/v1/chat/completions", "openai", "gpt-4o", 200, null, "block", 1L, 1L, false)));
        // Device grants and credentials.
        sent.add(event("auth.device.approved", tenant, subject, at(6), auth(null, null)));
        sent.add(event("auth.credential.issued", tenant, subject, at(7), auth("access", null)));
        sent.add(event("auth.credential.issued", tenant, subject, at(8), auth("personal_key", null)));
        sent.add(event("auth.credential.revoked", tenant, subject, at(9), auth("access", "admin")));
        sent.add(event("auth.credential.revoked", tenant, subject, at(10), auth("refresh", "refresh_token_reused")));
        sent.add(event("auth.bruteforce.blocked", tenant, subject, at(11), auth(null, "too_many_failed_entries")));
        // Provider links.
        sent.add(event("auth.link.started", tenant, subject, at(12), link("github", null)));
        sent.add(event("auth.link.linked", tenant, subject, at(13), link("github", null)));
        sent.add(event("auth.link.deleted", tenant, subject, at(14), link("github", null)));
        sent.add(event("auth.link.failed", tenant, subject, at(15), link("openai", "device_flow_disabled")));
        // Token vault.
        sent.add(event("token.read", tenant, subject, at(16), token("github", "proxy-request", "success", null)));
        sent.add(event("token.read", tenant, subject, at(17), token("github", "proxy-request", "success", null)));
        sent.add(event("token.refreshed", tenant, subject, at(18), token("github", "refresh", "failed", "upstream_503")));
        sent.add(event("token.link_broken", tenant, subject, at(19), token("github", "refresh", "failed",
                "bad_refresh_token")));
        sent.add(event("token.read", tenant, subject, at(20), token("openai", "proxy-request", "tampered", null)));
        // Policy changes made by the subject as an administrator.
        sent.add(event("proxy.policy.changed", tenant, subject, at(21), policy("*", "pii", 50, "block", 60, "redact")));
        sent.add(event("proxy.policy.changed", tenant, subject, at(22), policy("dev", "secret", null, null, 60,
                "redact")));
        sent.add(event("proxy.tool_pinning.changed", tenant, subject, at(23), jsonBody("entry", "Read@sha256:ab12",
                "approved", true, "mode", null, "previousMode", null)));
        sent.add(event("proxy.tool_pinning.changed", tenant, subject, at(24), jsonBody("entry", null, "approved", null,
                "mode", "enforce", "previousMode", "audit")));
        sent.forEach(e -> events.send(Topics.PROXY_EVENTS, e));
        awaitEvents(Map.of("tenant", tenant, "limit", "1000"), p -> p.getList("$").size() == sent.size());

        JsonPath report = given().auth().oauth2(TestEvents.token("carol", "ciso"))
                .queryParam("from", FROM.toString()).queryParam("to", TO.toString())
                .when().get("/api/reports/users/{subject}", subject)
                .then().statusCode(200).contentType(ContentType.JSON)
                .body("subject", is(subject))
                .body("tenants", equalTo(List.of(tenant)))
                .body("period.from", is("2025-03-01T00:00:00Z"))
                .body("period.to", is("2025-04-01T00:00:00Z"))
                .extract().jsonPath();

        assertEquals(map("requests", 4, "decisions", map("allow", 1, "redact", 1, "block", 1, "none", 1),
                "errors", 2,
                "errorsByCode", List.of(map("code", "blocked_by_policy", "count", 1),
                        map("code", "rate_limit_exceeded", "count", 1)),
                "tokens", map("input", 110, "output", 55, "estimatedRequests", 1),
                "byEndpoint", List.of(
                        map("endpoint", "/v1/chat/completions", "upstream", "openai", "model", "gpt-4o", "requests", 2,
                                "blocked", 0, "errors", 0, "inputTokens", 110, "outputTokens", 55),
                        map("endpoint", "/v1/chat/completions", "upstream", null, "model", null, "requests", 1,
                                "blocked", 0, "errors", 1, "inputTokens", 0, "outputTokens", 0),
                        map("endpoint", "/v1/messages", "upstream", "anthropic", "model", "claude-sonnet-4",
                                "requests", 1, "blocked", 1, "errors", 1, "inputTokens", 0, "outputTokens", 0)),
                "firstSeen", at(1).toString(), "lastSeen", at(24).toString()),
                report.getMap("activity"));

        assertEquals(map("total", 3, "highScore", 2,
                "byType", List.of(
                        map("category", "pii", "type", "email", "count", 1, "highScore", 0, "blocked", 0,
                                "redacted", 0, "maxScore", 60, "lastSeen", at(3).toString()),
                        map("category", "prompt_injection", "type", "instruction_override", "count", 1,
                                "highScore", 1, "blocked", 1, "redacted", 0, "maxScore", 85,
                                "lastSeen", at(3).toString()),
                        map("category", "secret", "type", "github_pat", "count", 1, "highScore", 1, "blocked", 0,
                                "redacted", 1, "maxScore", 95, "lastSeen", at(2).toString())),
                "recent", List.of(
                        recent(sent.get(2), tenant, "prompt_injection", "instruction_override", 85, "block",
                                "/messages/1/content/0/text", "Ignore all previous…", null),
                        recent(sent.get(2), tenant, "pii", "email", 60, "alert", "/messages/1/content/0/text",
                                "a…@example.com", "fedcba9876543210"),
                        recent(sent.get(1), tenant, "secret", "github_pat", 95, "redact", "/messages/0/content",
                                "ghp_…[REDACTED:github_pat]", "0123456789abcdef"))),
                report.getMap("findings"));

        assertEquals(map("devicesApproved", 1, "devicesDenied", 0, "devicesExpired", 0, "issued", 2,
                "issuedByKind", map("access", 1, "personal_key", 1), "refreshed", 0, "revoked", 2,
                "revokedByReason", map("admin", 1, "refresh_token_reused", 1), "bruteforceBlocked", 1),
                report.getMap("credentials"));
        assertEquals(List.of(
                map("provider", "github", "started", 1, "linked", 1, "denied", 0, "expired", 0, "failed", 0,
                        "cancelled", 0, "deleted", 1),
                map("provider", "openai", "started", 0, "linked", 0, "denied", 0, "expired", 0, "failed", 1,
                        "cancelled", 0, "deleted", 0)),
                report.getList("providerLinks"));
        assertEquals(List.of(
                map("provider", "github", "stored", 0, "reads", 2, "refreshes", 1, "rotations", 0, "revocations", 0,
                        "linksBroken", 1, "refreshFailures", 2, "unsuccessful", 2, "tampered", 0),
                map("provider", "openai", "stored", 0, "reads", 1, "refreshes", 0, "rotations", 0, "revocations", 0,
                        "linksBroken", 0, "refreshFailures", 0, "unsuccessful", 1, "tampered", 1)),
                report.getList("tokenVault"));
        assertEquals(map("total", 2, "recent", List.of(
                map("occurredAt", at(22).toString(), "tenant", tenant, "group", "dev", "category", "secret",
                        "threshold", null, "action", null, "previousThreshold", 60, "previousAction", "redact"),
                map("occurredAt", at(21).toString(), "tenant", tenant, "group", "*", "category", "pii",
                        "threshold", 50, "action", "block", "previousThreshold", 60, "previousAction", "redact"))),
                report.getMap("policyChanges"));
        assertEquals(map("total", 2, "recent", List.of(
                map("occurredAt", at(24).toString(), "tenant", tenant, "entry", null, "approved", null,
                        "mode", "enforce", "previousMode", "audit"),
                map("occurredAt", at(23).toString(), "tenant", tenant, "entry", "Read@sha256:ab12", "approved", true,
                        "mode", null, "previousMode", null))),
                report.getMap("toolPinningChanges"));
        assertEquals(map("highScoreThreshold", 80, "requests", 4, "blockedRequests", 1, "highScoreFindings", 2,
                "riskyRequests", 2, "blockedPer1000Requests", 250.0f, "highScoreFindingsPer1000Requests", 500.0f,
                "riskyPer1000Requests", 500.0f, "bruteforceBlocked", 1, "refreshTokenReuse", 1, "vaultTampered", 1),
                report.getMap("risk"));
        assertEquals(List.of(
                map("type", "auth.bruteforce.blocked", "count", 1), map("type", "auth.credential.issued", "count", 2),
                map("type", "auth.credential.revoked", "count", 2), map("type", "auth.device.approved", "count", 1),
                map("type", "auth.link.deleted", "count", 1), map("type", "auth.link.failed", "count", 1),
                map("type", "auth.link.linked", "count", 1), map("type", "auth.link.started", "count", 1),
                map("type", "proxy.policy.changed", "count", 2), map("type", "proxy.request.completed", "count", 4),
                map("type", "proxy.tool_pinning.changed", "count", 2),
                map("type", "token.link_broken", "count", 1), map("type", "token.read", "count", 3),
                map("type", "token.refreshed", "count", 1)),
                report.getList("eventsByType"));
        Instant generatedAt = Instant.parse(report.getString("generatedAt"));
        assertTrue(Duration.between(generatedAt, Instant.now()).abs().compareTo(Duration.ofMinutes(1)) < 0);
    }

    /**
     * Bodies are stored as producers sent them. A field of the wrong JSON type is left out of a sum instead of failing
     * the report, and a body of an unknown version is counted by type only (docs/events.md: ignore its body).
     */
    @Test
    void oddBodiesAreLeftOutOfSumsAndNeverFailTheReport() {
        String subject = uniqueSubject();
        String tenant = "tenant-" + UUID.randomUUID();
        ObjectNode odd = request(
                "/v1/chat/completions", "openai", "gpt-4o", 200, null, "allow", 1L, 1L, false);
        odd.put("status", "500").put("decision", 5);
        odd.putObject("usage").put("inputTokens", "many").put("outputTokens", 1e30).put("estimated", "yes");
        odd.putObject("findings").put("not", "an array");
        ObjectNode oddFindings = request(
                "/v1/chat/completions", "openai", "gpt-4o", 200, null, "allow", 2L, 3L, false);
        oddFindings.putArray("findings").add("a string").add(42).addObject().put("category", "secret")
                .put("type", "jwt").put("score", "99").put("action", "alert");
        EventEnvelope<JsonNode> unknownVersion = new EventEnvelope<>(UUID.randomUUID(), "proxy.request.completed", 2,
                at(3), tenant, subject, request("/v2/x", "openai", "gpt-5", 200,
                null, "block", 100L, 100L, false));
        events.send(Topics.PROXY_EVENTS, event("proxy.request.completed", tenant, subject, at(1), odd));
        events.send(Topics.PROXY_EVENTS, event("proxy.request.completed", tenant, subject, at(2), oddFindings));
        events.send(Topics.PROXY_EVENTS, unknownVersion);
        awaitEvents(Map.of("subject", subject), p -> p.getList("$").size() == 3);

        given().auth().oauth2(TestEvents.token("alice", "admin"))
                .queryParam("from", FROM.toString()).queryParam("to", TO.toString())
                .when().get("/api/reports/users/{subject}", subject)
                .then().statusCode(200)
                .body("activity.requests", is(2))
                .body("activity.decisions", equalTo(map("allow", 1, "redact", 0, "block", 0, "none", 0)))
                .body("activity.errors", is(0))
                .body("activity.tokens", equalTo(map("input", 2, "output", Long.MAX_VALUE, "estimatedRequests", 0)))
                .body("findings.total", is(3))
                .body("findings.highScore", is(0))
                .body("findings.byType", equalTo(List.of(
                        map("category", null, "type", null, "count", 2, "highScore", 0, "blocked", 0, "redacted", 0,
                                "maxScore", null, "lastSeen", at(2).toString()),
                        map("category", "secret", "type", "jwt", "count", 1, "highScore", 0, "blocked", 0,
                                "redacted", 0, "maxScore", null, "lastSeen", at(2).toString()))))
                .body("risk.riskyRequests", is(0))
                .body("eventsByType", equalTo(List.of(map("type", "proxy.request.completed", "count", 3))))
                .body("activity.lastSeen", is(at(3).toString()));
    }

    @Test
    void subjectWithoutEventsGetsAReportOfZeros() {
        given().auth().oauth2(TestEvents.token("alice", "admin"))
                .queryParam("from", "2025-03-01").queryParam("to", "2025-03-31")
                .when().get("/api/reports/users/{subject}", uniqueSubject())
                .then().statusCode(200).contentType(ContentType.JSON)
                .body("tenants", equalTo(List.of()))
                .body("period.from", is("2025-03-01T00:00:00Z"))
                .body("period.to", is("2025-04-01T00:00:00Z"))
                .body("activity", equalTo(map("requests", 0, "decisions", map("allow", 0, "redact", 0, "block", 0,
                        "none", 0), "errors", 0, "errorsByCode", List.of(), "tokens", map("input", 0, "output", 0,
                        "estimatedRequests", 0), "byEndpoint", List.of(), "firstSeen", null, "lastSeen", null)))
                .body("findings", equalTo(map("total", 0, "highScore", 0, "byType", List.of(), "recent", List.of())))
                .body("credentials", equalTo(map("devicesApproved", 0, "devicesDenied", 0, "devicesExpired", 0,
                        "issued", 0, "issuedByKind", map(), "refreshed", 0, "revoked", 0, "revokedByReason", map(),
                        "bruteforceBlocked", 0)))
                .body("providerLinks", equalTo(List.of()))
                .body("tokenVault", equalTo(List.of()))
                .body("policyChanges", equalTo(map("total", 0, "recent", List.of())))
                .body("toolPinningChanges", equalTo(map("total", 0, "recent", List.of())))
                .body("risk", equalTo(map("highScoreThreshold", 80, "requests", 0, "blockedRequests", 0,
                        "highScoreFindings", 0, "riskyRequests", 0, "blockedPer1000Requests", null,
                        "highScoreFindingsPer1000Requests", null, "riskyPer1000Requests", null,
                        "bruteforceBlocked", 0, "refreshTokenReuse", 0, "vaultTampered", 0)))
                .body("eventsByType", equalTo(List.of()));
    }

    @Test
    void periodDefaultsToTheLastThirtyDays() {
        Instant before = Instant.now().minusSeconds(1);
        JsonPath report = given().auth().oauth2(TestEvents.token("alice", "admin"))
                .when().get("/api/reports/users/{subject}", uniqueSubject())
                .then().statusCode(200).extract().jsonPath();
        Instant from = Instant.parse(report.getString("period.from"));
        Instant to = Instant.parse(report.getString("period.to"));
        assertEquals(Duration.ofDays(30), Duration.between(from, to));
        assertTrue(!to.isBefore(before) && !to.isAfter(Instant.now()), "the period ends now: " + to);
    }

    @Test
    void periodWithOnlyAnEndStartsThirtyDaysBeforeIt() {
        given().auth().oauth2(TestEvents.token("alice", "admin")).queryParam("to", "2025-03-31T12:00:00Z")
                .when().get("/api/reports/users/{subject}", uniqueSubject())
                .then().statusCode(200)
                .body("period.from", is("2025-03-01T12:00:00Z"))
                .body("period.to", is("2025-03-31T12:00:00Z"));
    }

    @Test
    void periodOfExactlyTheMaximumIsAccepted() {
        given().auth().oauth2(TestEvents.token("alice", "admin"))
                .queryParam("from", "2024-01-01T00:00:00Z").queryParam("to", "2025-01-01T00:00:00Z")
                .when().get("/api/reports/users/{subject}", uniqueSubject())
                .then().statusCode(200)
                .body("period.from", is("2024-01-01T00:00:00Z"))
                .body("period.to", is("2025-01-01T00:00:00Z"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "from=garbage                                      | from must be an ISO-8601 instant such as 2025-01-31T12:00:00Z or a date such as 2025-01-31, in the years 1 to 9999.",
            "to=2025-13-01                                     | to must be an ISO-8601 instant such as 2025-01-31T12:00:00Z or a date such as 2025-01-31, in the years 1 to 9999.",
            "to=2025-02-30T00:00:00Z                           | to must be an ISO-8601 instant such as 2025-01-31T12:00:00Z or a date such as 2025-01-31, in the years 1 to 9999.",
            "from=-1000000000-01-01T00:00:00Z                  | from must be an ISO-8601 instant such as 2025-01-31T12:00:00Z or a date such as 2025-01-31, in the years 1 to 9999.",
            "to=%2B10000-01-01T00:00:00.001Z                   | to must be an ISO-8601 instant such as 2025-01-31T12:00:00Z or a date such as 2025-01-31, in the years 1 to 9999.",
            "from=2025-02-01T00:00:00Z&to=2025-01-01T00:00:00Z | from must not be after to.",
            "from=2025-02-02&to=2025-01-31                     | from must not be after to.",
            "from=2024-01-01T00:00:00Z&to=2025-01-01T00:00:01Z | from and to must be at most 366 days apart; ask for several reports.",
            "from=2020-01-01                                   | from and to must be at most 366 days apart; ask for several reports.",
            "tenant=a%0Ab                                      | tenant must be at most 256 characters without control characters.",
            "format=xml                                        | format must be json or csv.",
    })
    void invalidParametersAreRejectedWithProblemDetails(String query, String detail) {
        given().auth().oauth2(TestEvents.token("alice", "admin")).urlEncodingEnabled(false)
                .when().get("/api/reports/users/alice?" + query)
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", is("about:blank"))
                .body("title", is("Bad Request"))
                .body("status", is(400))
                .body("detail", is(detail));
    }

    @Test
    void overlongOrControlCharacterSubjectIsRejected() {
        for (String subject : List.of("a".repeat(257), "a%0Ab")) {
            given().auth().oauth2(TestEvents.token("alice", "admin")).urlEncodingEnabled(false)
                    .when().get("/api/reports/users/" + subject)
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("detail", is("subject must be at most 256 characters without control characters."));
        }
    }

    @Test
    void reportIsLimitedToOneTenantWhenAsked() {
        String subject = uniqueSubject();
        String tenantA = "tenant-a-" + UUID.randomUUID();
        String tenantB = "tenant-b-" + UUID.randomUUID();
        events.send(Topics.PROXY_EVENTS, event("proxy.request.completed", tenantA, subject, at(1),
                request("/v1/embeddings", "openai", "text-embedding-3-small", 200, null, "allow", 5L, 0L, false)));
        events.send(Topics.PROXY_EVENTS, event("proxy.request.completed", tenantB, subject, at(2),
                request("/v1/embeddings", "openai", "text-embedding-3-small", 200, null, "allow", 7L, 0L, false)));
        awaitEvents(Map.of("subject", subject), p -> p.getList("$").size() == 2);

        given().auth().oauth2(TestEvents.token("alice", "admin"))
                .queryParam("from", FROM.toString()).queryParam("to", TO.toString())
                .when().get("/api/reports/users/{subject}", subject)
                .then().statusCode(200)
                .body("tenants", equalTo(List.of(tenantA, tenantB).stream().sorted().toList()))
                .body("activity.requests", is(2))
                .body("activity.tokens.input", is(12));
        given().auth().oauth2(TestEvents.token("alice", "admin"))
                .queryParam("from", FROM.toString()).queryParam("to", TO.toString()).queryParam("tenant", tenantB)
                .when().get("/api/reports/users/{subject}", subject)
                .then().statusCode(200)
                .body("tenants", equalTo(List.of(tenantB)))
                .body("activity.requests", is(1))
                .body("activity.tokens.input", is(7));
    }

    /**
     * A developer with 100,000 requests in the period: the figures are PostgreSQL's aggregates, and the answer holds
     * only the bounded lists. Seeded with one INSERT … SELECT, which is what the consumer's insert stores row by row.
     */
    @Test
    void hundredThousandRequestsAreAggregatedByTheDatabase() throws SQLException {
        String subject = uniqueSubject();
        try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement("""
                insert into audit_event (id, type, version, occurred_at, tenant, subject, topic, body, received_at)
                select gen_random_uuid(), 'proxy.request.completed', 1,
                       timestamptz '2025-06-01T00:00:00Z' + g * interval '1 second', 'default', ?, 'proxy-events',
                       jsonb_build_object('requestId', 'r-' || g, 'endpoint', '/v1/chat/completions',
                           'upstream', 'openai', 'model', 'gpt-4o', 'status', case when g % 10 = 0 then 400 else 200 end,
                           'errorCode', case when g % 10 = 0 then 'blocked_by_policy' end,
                           'decision', case when g % 10 = 0 then 'block' else 'allow' end,
                           'usage', jsonb_build_object('inputTokens', 10, 'outputTokens', 20, 'estimated', false),
                           'findings', case when g % 10 = 0 then jsonb_build_array(jsonb_build_object(
                               'category', 'secret', 'type', 'aws_access_key', 'direction', 'request', 'score', 90,
                               'action', 'block', 'hash', 'aaaabbbbccccdddd', 'excerpt', 'AKIA…[REDACTED:aws_access_key]',
                               'location', '/messages/0/content')) else cast('[]' as jsonb) end),
                       now()
                from generate_series(1, 100000) g""")) {
            s.setString(1, subject);
            assertEquals(100_000, s.executeUpdate());
        }

        given().auth().oauth2(TestEvents.token("alice", "admin"))
                .queryParam("from", "2025-06-01").queryParam("to", "2025-06-30")
                .when().get("/api/reports/users/{subject}", subject)
                .then().statusCode(200)
                .body("activity.requests", is(100_000))
                .body("activity.decisions", equalTo(map("allow", 90_000, "redact", 0, "block", 10_000, "none", 0)))
                .body("activity.errors", is(10_000))
                .body("activity.errorsByCode", equalTo(List.of(map("code", "blocked_by_policy", "count", 10_000))))
                .body("activity.tokens", equalTo(map("input", 1_000_000, "output", 2_000_000, "estimatedRequests", 0)))
                .body("activity.lastSeen", is("2025-06-02T03:46:40Z"))
                .body("findings.total", is(10_000))
                .body("findings.byType[0].count", is(10_000))
                .body("findings.recent", hasSize(20))
                .body("findings.recent[0].occurredAt", is("2025-06-02T03:46:40Z"))
                .body("findings.recent[0].requestId", is("r-100000"))
                .body("risk.riskyRequests", is(10_000))
                .body("risk.riskyPer1000Requests", is(100.0f));
    }

    @Test
    void reportGenerationIsCountedByFormat() {
        double jsonBefore = generated("json");
        double csvBefore = generated("csv");
        given().auth().oauth2(TestEvents.token("alice", "admin"))
                .when().get("/api/reports/users/{subject}", uniqueSubject())
                .then().statusCode(200);
        given().auth().oauth2(TestEvents.token("alice", "admin")).queryParam("format", "csv")
                .when().get("/api/reports/users/{subject}", uniqueSubject())
                .then().statusCode(200);
        given().auth().oauth2(TestEvents.token("alice", "admin")).queryParam("format", "bogus")
                .when().get("/api/reports/users/{subject}", uniqueSubject())
                .then().statusCode(400);

        assertEquals(jsonBefore + 1, generated("json"));
        assertEquals(csvBefore + 1, generated("csv"));
    }

    @Test
    void cisoMayReadReports() {
        given().auth().oauth2(TestEvents.token("carol", "ciso"))
                .when().get("/api/reports/users/{subject}", uniqueSubject())
                .then().statusCode(200).body("activity.requests", is(0));
        given().auth().oauth2(TestEvents.token("carol", "ciso"))
                .when().get("/api/reports/users")
                .then().statusCode(200);
    }

    @ParameterizedTest
    @CsvSource({"sre, /api/reports/users/alice", "developer, /api/reports/users/alice", "sre, /api/reports/users",
            "user, /api/reports/users"})
    void otherRolesAreForbidden(String role, String path) {
        given().auth().oauth2(TestEvents.token("sam", role))
                .when().get(path)
                .then().statusCode(403).contentType("application/problem+json")
                .body("type", is("about:blank"))
                .body("title", is("Forbidden"))
                .body("status", is(403))
                .body("detail", is("Your roles do not allow this request."));
    }

    @Test
    void invalidBearerTokenIsUnauthorized() {
        given().auth().oauth2("not-a-token")
                .when().get("/api/reports/users/alice")
                .then().statusCode(401)
                .header("WWW-Authenticate", startsWith("Bearer"));
    }

    /**
     * As for {@code /api/events}: in hybrid mode a request without an Authorization header is a browser, sent to sign
     * in. That is what lets the printable report's "Download CSV" link work with the dashboard's session.
     */
    @Test
    void anonymousCallIsRedirectedToSignIn() {
        String provider = ConfigProvider.getConfig().getValue("keycloak.url", String.class) + "/realms/quarkus";
        given().redirects().follow(false).accept(ContentType.JSON)
                .when().get("/api/reports/users/alice")
                .then().statusCode(302)
                .header("Location", startsWith(provider + "?"));
    }

    @Test
    void unsupportedAcceptIsNotAcceptable() {
        given().auth().oauth2(TestEvents.token("alice", "admin")).accept("application/xml")
                .when().get("/api/reports/users/alice")
                .then().statusCode(406).contentType("application/problem+json")
                .body("title", is("Not Acceptable"))
                .body("status", is(406))
                .body("detail", nullValue());
    }

    @Test
    void csvIsChosenByTheAcceptHeader() {
        given().auth().oauth2(TestEvents.token("alice", "admin")).accept("text/csv")
                .when().get("/api/reports/users/alice")
                .then().statusCode(200).contentType("text/csv")
                .header("Content-Disposition", startsWith("attachment; filename=\"infershield-report-alice-"))
                .body(startsWith("section,name,value\r\nreport,subject,alice\r\n"));
        given().auth().oauth2(TestEvents.token("alice", "admin")).accept("text/csv").queryParam("format", "json")
                .when().get("/api/reports/users/alice")
                .then().statusCode(200).contentType(ContentType.JSON)
                .body("subject", is("alice"));
        given().auth().oauth2(TestEvents.token("alice", "admin")).accept("application/json;q=0.5, text/csv")
                .when().get("/api/reports/users/alice")
                .then().statusCode(200).contentType("text/csv")
                .body(containsString("\r\nsection,type,count\r\n"));
    }

    static Instant at(int minute) {
        return FROM.plus(Duration.ofDays(9)).plusSeconds(60L * minute);
    }

    private static Map<String, Object> recent(EventEnvelope<JsonNode> request, String tenant, String category,
            String type, int score, String action, String location, String excerpt, String hash) {
        return map("occurredAt", request.occurredAt().toString(), "tenant", tenant,
                "requestId", request.body().get("requestId").asText(), "category", category, "type", type,
                "direction", "request", "score", score, "action", action, "location", location, "excerpt", excerpt,
                "hash", hash);
    }

    /** A JSON body with the given members. */
    static JsonNode jsonBody(Object... keysAndValues) {
        return io.infershield.events.EventJson.mapper().valueToTree(map(keysAndValues));
    }

    /** A map in the given order that, unlike {@link Map#of}, may hold null values. */
    static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private double generated(String format) {
        String text = given().when().get(metrics).then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("^infershield_audit_reports_generated_total\\{format=\"" + format
                + "\"} (\\S+)$", Pattern.MULTILINE).matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
