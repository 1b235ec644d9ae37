package io.infershield.audit.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.infershield.audit.TestEvents;
import io.infershield.events.EventEnvelope;
import io.infershield.events.ProxyRequestCompleted;
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
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.infershield.audit.TestEvents.awaitEvents;
import static io.infershield.audit.TestEvents.uniqueSubject;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class EventIngestionTest {

    @InjectInfra
    Kafka kafka;

    @InjectInfra
    PostgresResource.Database db;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @TestHTTPResource(value = "/health/ready", management = true)
    URL readiness;

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
    void proxyEventIsStoredWithEveryEnvelopeField() throws SQLException {
        String subject = uniqueSubject();
        ProxyRequestCompleted body = new ProxyRequestCompleted("req-1", "/v1/chat/completions", "gpt-4o", true, 200,
                null, "openai", "org-key", 1234, 512, 2048, "allow", List.of());
        EventEnvelope<ProxyRequestCompleted> sent = new EventEnvelope<>(UUID.randomUUID(),
                ProxyRequestCompleted.TYPE, ProxyRequestCompleted.VERSION, Instant.parse("2025-04-02T08:30:15.250Z"),
                "default", subject, body);

        events.send(Topics.PROXY_EVENTS, sent);

        JsonPath page = awaitEvents(Map.of("subject", subject), p -> p.getList("$").size() == 1);
        assertEquals(sent.id().toString(), page.getString("[0].id"));
        assertEquals("proxy.request.completed", page.getString("[0].type"));
        assertEquals(1, page.getInt("[0].version"));
        assertEquals("2025-04-02T08:30:15.250Z", page.getString("[0].occurredAt"));
        assertEquals("default", page.getString("[0].tenant"));
        assertEquals(subject, page.getString("[0].subject"));
        assertEquals(Map.ofEntries(
                Map.entry("requestId", "req-1"), Map.entry("endpoint", "/v1/chat/completions"),
                Map.entry("model", "gpt-4o"), Map.entry("stream", true), Map.entry("status", 200),
                Map.entry("upstream", "openai"), Map.entry("credential", "org-key"), Map.entry("latencyMs", 1234),
                Map.entry("bytesIn", 512), Map.entry("bytesOut", 2048), Map.entry("decision", "allow"),
                Map.entry("findings", List.of())),
                withoutNulls(page.getMap("[0].body")));
        assertTrue(page.getMap("[0].body").containsKey("errorCode"), "null fields of the body are kept");

        try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement(
                "select topic, jsonb_typeof(body), body->>'requestId', received_at is not null"
                        + " from audit_event where id = ?")) {
            s.setObject(1, sent.id());
            ResultSet row = s.executeQuery();
            assertTrue(row.next());
            assertEquals("proxy-events", row.getString(1));
            assertEquals("object", row.getString(2));
            assertEquals("req-1", row.getString(3));
            assertTrue(row.getBoolean(4));
        }
    }

    @Test
    void consumesEveryEventTopic() throws SQLException {
        String subject = uniqueSubject();
        List<UUID> ids = new ArrayList<>();
        for (String topic : Topics.ALL) {
            EventEnvelope<JsonNode> event = EventEnvelope.of("test.sent_to." + topic.replace('-', '_'), 1, "default",
                    subject, JsonNodeFactory.instance.objectNode().put("topic", topic));
            ids.add(event.id());
            events.send(topic, event);
        }

        awaitEvents(Map.of("subject", subject), p -> p.getList("$").size() == Topics.ALL.size());

        for (int i = 0; i < ids.size(); i++) {
            assertEquals(Topics.ALL.get(i), storedTopic(ids.get(i)));
        }
    }

    @Test
    void redeliveredEventIsStoredOnce() throws SQLException {
        String subject = uniqueSubject();
        EventEnvelope<JsonNode> event = authEvent(subject, Instant.now().minusSeconds(1));
        EventEnvelope<JsonNode> later = authEvent(subject, Instant.now());

        events.send(Topics.AUTH_EVENTS, event);
        events.send(Topics.AUTH_EVENTS, event);
        // One partition is consumed in order, so once the later event is stored both copies have been processed.
        events.send(Topics.AUTH_EVENTS, later);

        JsonPath page = awaitEvents(Map.of("subject", subject),
                p -> p.getList("id").contains(later.id().toString()));
        assertEquals(List.of(later.id().toString(), event.id().toString()), page.getList("id"));
        assertEquals(1, countRows(event.id()));
    }

    @Test
    void invalidRecordsAreSkippedAndConsumptionGoesOn() {
        String subject = uniqueSubject();
        double rejectedBefore = rejectedRecords(Topics.AUTH_EVENTS);
        String validPrefix = "{\"id\":\"" + UUID.randomUUID() + "\",\"type\":\"auth.bad\",\"version\":1,"
                + "\"occurredAt\":\"2025-03-01T10:15:30Z\",\"subject\":\"" + subject + "\",";
        List<String> invalid = new ArrayList<>();
        invalid.add("garbage that is not JSON");
        invalid.add(null);
        invalid.add(validPrefix + "\"body\":{}}");
        invalid.add(validPrefix + "\"tenant\":\"default\",\"body\":[]}");
        // Storing this one would fail in PostgreSQL on every redelivery and stop the consumer for good.
        invalid.add(validPrefix + "\"tenant\":\"default\",\"body\":{\"note\":\"\\u0000\"}}");
        invalid.forEach(value -> events.sendRaw(Topics.AUTH_EVENTS, value));
        EventEnvelope<JsonNode> valid = authEvent(subject, Instant.now());
        events.send(Topics.AUTH_EVENTS, valid);

        JsonPath page = awaitEvents(Map.of("subject", subject), p -> p.getList("$").size() == 1);
        assertEquals(valid.id().toString(), page.getString("[0].id"));
        assertEquals(rejectedBefore + invalid.size(), rejectedRecords(Topics.AUTH_EVENTS));
    }

    @Test
    void readinessIsUpWithDatabaseAndKafka() {
        given().when().get(readiness)
                .then().statusCode(200).body("status", is("UP"));
    }

    private static EventEnvelope<JsonNode> authEvent(String subject, Instant occurredAt) {
        return new EventEnvelope<>(UUID.randomUUID(), "auth.device.approved", 1,
                occurredAt.truncatedTo(ChronoUnit.MILLIS), "default", subject,
                JsonNodeFactory.instance.objectNode().put("clientId", "infershield-cli"));
    }

    private static Map<String, Object> withoutNulls(Map<String, Object> map) {
        Map<String, Object> copy = new HashMap<>(map);
        copy.values().removeIf(Objects::isNull);
        return copy;
    }

    private double rejectedRecords(String topic) {
        String text = given().when().get(metrics).then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("^infershield_audit_records_rejected_total\\{topic=\"" + Pattern.quote(topic)
                + "\"} (\\S+)$", Pattern.MULTILINE).matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private String storedTopic(UUID id) throws SQLException {
        try (Connection c = db.connect();
             PreparedStatement s = c.prepareStatement("select topic from audit_event where id = ?")) {
            s.setObject(1, id);
            ResultSet row = s.executeQuery();
            return row.next() ? row.getString(1) : null;
        }
    }

    private int countRows(UUID id) throws SQLException {
        try (Connection c = db.connect();
             PreparedStatement s = c.prepareStatement("select count(*) from audit_event where id = ?")) {
            s.setObject(1, id);
            ResultSet row = s.executeQuery();
            row.next();
            return row.getInt(1);
        }
    }
}
