package io.infershield.token.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infershield.events.EventJson;
import io.infershield.events.Topics;
import io.infershield.testkit.infra.Kafka;
import io.infershield.token.messaging.OutboxRelay;
import io.quarkus.vertx.VertxContextSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads token-events back from the broker with a plain consumer, as the audit store and a SIEM would. */
public final class TokenEventLog {

    private static final ObjectMapper JSON = EventJson.mapper();

    private TokenEventLog() {
    }

    /** Runs the outbox relay, then answers every event on token-events about {@code tenant}, oldest first. */
    public static List<JsonNode> about(OutboxRelay relay, Kafka kafka, String tenant) {
        try {
            VertxContextSupport.subscribeAndAwait(relay::publishPending);
        } catch (Throwable e) {
            throw new AssertionError("the outbox relay failed", e);
        }
        return values(kafka).stream().map(TokenEventLog::parse)
                .filter(event -> tenant.equals(event.path("tenant").asText()))
                .toList();
    }

    /** Every record value on token-events, from the beginning of the topic to its current end. */
    public static List<String> values(Kafka kafka) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()))) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.TOKEN_EVENTS).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<String> values = new ArrayList<>();
            Instant deadline = Instant.now().plusSeconds(30);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (Instant.now().isAfter(deadline)) {
                    throw new AssertionError("token-events not read to its end " + end);
                }
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    // every record is keyed by its envelope's tenant and subject (the events contract)
                    JsonNode envelope = parse(record.value());
                    String key = envelope.path("tenant").asText() + "/" + envelope.path("subject").asText("");
                    if (!key.equals(record.key())) {
                        throw new AssertionError("record keyed " + record.key() + ", not " + key);
                    }
                    values.add(record.value());
                }
            }
            return values;
        }
    }

    /** "type outcome actor subject provider purpose reason" per event: one line that tests compare whole. */
    public static String summary(JsonNode event) {
        JsonNode body = event.path("body");
        return String.join(" ", event.path("type").asText(), body.path("outcome").asText(), body.path("actor").asText(),
                event.path("subject").isNull() ? "-" : event.path("subject").asText(), body.path("provider").asText(),
                body.path("credential").asText(), body.path("purpose").asText(),
                body.path("reason").isNull() ? "-" : body.path("reason").asText());
    }

    private static JsonNode parse(String value) {
        try {
            return JSON.readTree(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
