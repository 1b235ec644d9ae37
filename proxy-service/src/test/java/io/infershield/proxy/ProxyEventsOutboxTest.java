package io.infershield.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import io.infershield.events.Topics;
import io.infershield.proxy.config.ProxyConfig;
import io.infershield.proxy.messaging.OutboxRelay;
import io.infershield.testkit.infra.Kafka;
import io.infershield.testkit.quarkus.InjectInfra;
import io.infershield.testkit.quarkus.KafkaResource;
import io.infershield.testkit.quarkus.PostgresResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * proxy-events go through the outbox: each event is a row before it is a record, the relay publishes rows in the order
 * they were written once the broker acknowledges them, and a broker that refuses writes only delays them.
 *
 * <p>The outage is the broker's own refusal, not a stand-in for the relay's producer: the topic's
 * {@code max.message.bytes} is lowered below the size of any record, so that the broker refuses every write
 * ({@code MESSAGE_TOO_LARGE}) until it is raised again. The relay, its emitter and its producer are the application's own
 * throughout, and they see what they see when a broker refuses writes for any reason: a send that is not acknowledged.
 * (Raising {@code min.insync.replicas} above the replication factor would be closer to lost brokers, but Kafka 4 caps
 * it at the replication factor, and the single broker cannot be stopped and started again within the test.)
 */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = UpstreamsResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class ProxyEventsOutboxTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @InjectInfra
    Kafka kafka;
    @InjectInfra
    PostgresResource.Database db;
    @Inject
    OutboxRelay relay;
    @Inject
    ProxyConfig config;

    private final String tenant = "obx-" + UUID.randomUUID().toString().substring(0, 8);

    @Test
    void aRequestEventIsARowUntilKafkaHasItAndGoesOutExactlyAsStored() throws Exception {
        String requestId = unauthenticatedRequest();
        UUID eventId = awaitRow("%\"requestId\":\"" + requestId + "\"%");

        awaitPublished(eventId);
        var record = TestSupport.awaitRecord(kafka, e -> requestId.equals(e.at("/body/requestId").asText()));
        String published = record.value();
        assertEquals(payload(eventId), published);
        JsonNode event = TestSupport.json(published);
        assertEquals(eventId.toString(), event.get("id").asText());
        assertEquals("proxy.request.completed", event.get("type").asText());
        assertEquals(401, event.at("/body/status").asInt());
        // keyed by tenant and subject, so that one user's events keep their order on one partition; an unauthenticated
        // request has no subject, and its tenant is the gateway's default
        assertTrue(event.get("subject").isNull());
        assertEquals(event.get("tenant").asText() + "/", record.key());
    }

    @Test
    void eventsWrittenWhileTheBrokerRefusesWritesArePublishedInOrderOnceItTakesThemAgain() throws Exception {
        List<UUID> written = new ArrayList<>();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            refuseWrites(admin, true);
            try {
                written.add(awaitRow("%\"requestId\":\"" + unauthenticatedRequest() + "\"%"));
                // a policy change is no longer refused when Kafka is away: its event waits in the outbox with it
                given().auth().oauth2(TestSupport.keycloakToken("ada", "admin")).contentType(ContentType.JSON)
                        .body("{\"threshold\":80,\"action\":\"block\"}")
                        .when().put("/admin/v1/tenants/" + tenant + "/policies/*/secret")
                        .then().statusCode(200);
                written.add(awaitRow("%\"tenant\":\"" + tenant + "\"%"));
                written.add(awaitRow("%\"requestId\":\"" + unauthenticatedRequest() + "\"%"));

                // long enough for the relay to have sent, waited for the broker and given up, more than once
                Thread.sleep(config.outbox().sendTimeout().toMillis());
                for (UUID id : written) {
                    assertNull(publishedAt(id), "no acknowledgement, so the row stays unpublished");
                }
                Set<UUID> onTopic = eventIds(values());
                assertTrue(written.stream().noneMatch(onTopic::contains), "the broker took none of them");
            } finally {
                refuseWrites(admin, false);
            }
        }

        for (UUID id : written) {
            awaitPublished(id);
        }
        // copies sent before the broker recovered may arrive as well (consumers dedupe on id); first arrivals keep order
        List<UUID> firstArrivals = eventIds(values()).stream().filter(written::contains).toList();
        assertEquals(written, firstArrivals);
    }

    @Test
    void aPolicyChangeThatRollsBackLeavesNoEvent() throws Exception {
        String rule = "/admin/v1/tenants/" + tenant + "/policies/*/pii";
        given().auth().oauth2(TestSupport.keycloakToken("ada", "admin")).contentType(ContentType.JSON)
                .body("{\"threshold\":40,\"action\":\"alert\"}")
                .when().put(rule)
                .then().statusCode(200);
        awaitPublished(awaitRow("%\"tenant\":\"" + tenant + "\"%\"threshold\":40%"));
        // Hibernate flushes inserts before updates: the event row is written, then the rule's update is refused
        try (Connection c = db.connect()) {
            c.createStatement().execute(
                    "alter table policy_rule add constraint policy_refuses_33 check (threshold <> 33) not valid");
            try {
                given().auth().oauth2(TestSupport.keycloakToken("ada", "admin")).contentType(ContentType.JSON)
                        .body("{\"threshold\":33,\"action\":\"block\"}")
                        .when().put(rule)
                        .then().statusCode(500);
            } finally {
                c.createStatement().execute("alter table policy_rule drop constraint policy_refuses_33");
            }
        }

        try (Connection c = db.connect(); PreparedStatement q = c.prepareStatement(
                "select payload from outbox_event where payload like ?")) {
            q.setString(1, "%\"tenant\":\"" + tenant + "\"%");
            ResultSet rows = q.executeQuery();
            List<Integer> thresholds = new ArrayList<>();
            while (rows.next()) {
                thresholds.add(TestSupport.json(rows.getString(1)).at("/body/threshold").asInt());
            }
            assertEquals(List.of(40), thresholds, "the change that rolled back has no event");
        }
    }

    @Test
    void anEventTheDatabaseRefusesIsSentToKafkaDirectly() throws Exception {
        String requestId;
        try (Connection c = db.connect()) {
            c.createStatement().execute(
                    "alter table outbox_event add constraint outbox_refuses_new_rows check (false) not valid");
            try {
                requestId = unauthenticatedRequest();
                assertEquals(requestId, TestSupport.json(TestSupport.awaitRequestEvent(kafka, requestId))
                        .at("/body/requestId").asText());
            } finally {
                c.createStatement().execute("alter table outbox_event drop constraint outbox_refuses_new_rows");
            }
        }
        try (Connection c = db.connect(); PreparedStatement q = c.prepareStatement(
                "select count(*) from outbox_event where payload like ?")) {
            q.setString(1, "%" + requestId + "%");
            ResultSet rows = q.executeQuery();
            rows.next();
            assertEquals(0, rows.getInt(1));
        }
    }

    @Test
    void publishedEventsAreDeletedOnceOlderThanTheRetention() throws Throwable {
        UUID old = awaitRow("%\"requestId\":\"" + unauthenticatedRequest() + "\"%");
        UUID recent = awaitRow("%\"requestId\":\"" + unauthenticatedRequest() + "\"%");
        awaitPublished(old);
        awaitPublished(recent);
        try (Connection c = db.connect(); PreparedStatement q = c.prepareStatement(
                "update outbox_event set published_at = ? where id = ?")) {
            q.setTimestamp(1, Timestamp.from(Instant.now().minus(config.outbox().retention()).minusSeconds(60)));
            q.setObject(2, old);
            assertEquals(1, q.executeUpdate());
        }

        assertEquals(1, VertxContextSupport.<Integer>subscribeAndAwait(relay::cleanUp));

        assertEquals(List.of(recent), existing(List.of(old, recent)));
    }

    /** A request the gateway refuses before anything else (401): it has an event all the same. Answers its id. */
    private static String unauthenticatedRequest() {
        return given().contentType(ContentType.JSON).body("{}")
                .when().post("/v1/chat/completions")
                .then().statusCode(401)
                .extract().header("x-request-id");
    }

    /** Sets, or removes, a {@code max.message.bytes} on proxy-events that no record fits in. */
    private static void refuseWrites(Admin admin, boolean refuse) throws Exception {
        ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, Topics.PROXY_EVENTS);
        ConfigEntry entry = new ConfigEntry("max.message.bytes", "1");
        AlterConfigOp op = new AlterConfigOp(entry, refuse ? AlterConfigOp.OpType.SET : AlterConfigOp.OpType.DELETE);
        admin.incrementalAlterConfigs(Map.of(topic, List.of(op))).all().get();
        // the broker applies the change from the metadata log: wait until it reports it, so no write slips through
        await("max.message.bytes " + (refuse ? "set" : "removed"), () -> {
            try {
                ConfigEntry now = admin.describeConfigs(List.of(topic)).all().get().get(topic).get("max.message.bytes");
                return refuse == "1".equals(now.value()) ? true : null;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** The id of the one outbox row whose payload matches {@code pattern} (SQL LIKE), once it is there. */
    private UUID awaitRow(String pattern) throws Exception {
        return await("an outbox row like " + pattern, () -> {
            try (Connection c = db.connect(); PreparedStatement q = c.prepareStatement(
                    "select id from outbox_event where payload like ?")) {
                q.setString(1, pattern);
                ResultSet rows = q.executeQuery();
                UUID id = rows.next() ? rows.getObject(1, UUID.class) : null;
                assertTrue(id == null || !rows.next(), "one row per event");
                return id;
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private void awaitPublished(UUID id) throws Exception {
        await("event " + id + " published", () -> {
            try {
                return publishedAt(id);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private Timestamp publishedAt(UUID id) throws Exception {
        try (Connection c = db.connect(); PreparedStatement q = c.prepareStatement(
                "select published_at from outbox_event where id = ?")) {
            q.setObject(1, id);
            ResultSet row = q.executeQuery();
            assertTrue(row.next(), "the row of event " + id);
            return row.getTimestamp(1);
        }
    }

    private String payload(UUID id) throws Exception {
        try (Connection c = db.connect(); PreparedStatement q = c.prepareStatement(
                "select payload from outbox_event where id = ?")) {
            q.setObject(1, id);
            ResultSet row = q.executeQuery();
            assertTrue(row.next());
            return row.getString(1);
        }
    }

    /** Which of {@code ids} still have a row, in the given order. */
    private List<UUID> existing(List<UUID> ids) throws Exception {
        List<UUID> present = new ArrayList<>();
        try (Connection c = db.connect(); PreparedStatement q = c.prepareStatement(
                "select count(*) from outbox_event where id = ?")) {
            for (UUID id : ids) {
                q.setObject(1, id);
                ResultSet row = q.executeQuery();
                row.next();
                if (row.getInt(1) == 1) {
                    present.add(id);
                }
            }
        }
        return present;
    }

    /** Every record value on proxy-events, from the beginning of the topic to its current end. */
    private List<String> values() {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()))) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.PROXY_EVENTS).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<String> values = new ArrayList<>();
            Instant deadline = Instant.now().plus(WAIT);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                assertTrue(Instant.now().isBefore(deadline), "proxy-events not read to its end " + end);
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
            return values;
        }
    }

    /** The envelope ids of {@code values}, each once, in the order of its first arrival. */
    private static Set<UUID> eventIds(List<String> values) throws Exception {
        Set<UUID> ids = new LinkedHashSet<>();
        for (String value : values) {
            ids.add(UUID.fromString(TestSupport.json(value).get("id").asText()));
        }
        return ids;
    }

    /** Polls {@code probe} until it answers something other than null; fails after {@link #WAIT}. */
    private static <T> T await(String what, Supplier<T> probe) throws InterruptedException {
        Instant deadline = Instant.now().plus(WAIT);
        while (Instant.now().isBefore(deadline)) {
            T value = probe.get();
            if (value != null) {
                return value;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("timed out waiting for " + what);
    }
}
