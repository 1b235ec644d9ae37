package io.infershield.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infershield.events.EventEnvelope;
import io.infershield.events.EventJson;
import io.infershield.testkit.infra.Kafka;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.path.json.JsonPath;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

/** Publishes records to the test broker the way the producing services do, and waits for them in the API. */
public final class TestEvents implements AutoCloseable {

    /** Consumption is asynchronous; this bounds how long a test waits for an event to show up. */
    public static final Duration ARRIVAL_TIMEOUT = Duration.ofSeconds(30);

    private static final ObjectMapper JSON = EventJson.mapper();

    private final KafkaProducer<String, byte[]> producer;

    public TestEvents(Kafka kafka) {
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
    }

    /** An access token of the OIDC mock for {@code user} with the given realm roles. */
    public static String token(String user, String... roles) {
        return OidcWiremockTestResource.getAccessToken(user, Set.of(roles));
    }

    /** A subject no other test uses, so that each test reads only its own events. */
    public static String uniqueSubject() {
        return "user-" + UUID.randomUUID();
    }

    /** Publishes {@code event} as JSON, keyed by its id, and waits for the broker to take it. */
    public void send(String topic, EventEnvelope<?> event) {
        try {
            sendRaw(topic, JSON.writeValueAsBytes(event));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Publishes {@code value} as it is (UTF-8), for records that are not valid envelopes. */
    public void sendRaw(String topic, String value) {
        sendRaw(topic, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    private void sendRaw(String topic, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(topic, value)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * Polls {@code GET /api/events} with {@code query} as an admin until the answer satisfies {@code done}, and
     * returns that answer.
     */
    public static JsonPath awaitEvents(Map<String, ?> query, Predicate<JsonPath> done) {
        String admin = token("alice", "admin");
        AtomicReference<JsonPath> last = new AtomicReference<>();
        await().atMost(ARRIVAL_TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> {
            JsonPath page = given().auth().oauth2(admin).queryParams(query)
                    .when().get("/api/events")
                    .then().statusCode(200).extract().jsonPath();
            last.set(page);
            return done.test(page);
        });
        return last.get();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
