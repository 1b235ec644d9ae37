package io.infershield.auth.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infershield.auth.messaging.OutboxRelay;
import io.infershield.events.EventJson;
import io.infershield.events.Topics;
import io.infershield.testkit.infra.Kafka;
import io.quarkus.vertx.VertxContextSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Reads auth-events back from the broker with a plain consumer, as the audit store and a SIEM would. */
public final class AuthEventLog {

    private static final ObjectMapper JSON = EventJson.mapper();

    private AuthEventLog() {
    }

    /** Runs the outbox relay once, so that every committed event is on the broker. */
    public static int relay(OutboxRelay relay) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(relay::publishPending);
    }

    /** Every record value on auth-events, from the beginning of the topic to its current end. */
    public static List<String> values(Kafka kafka) {
        return records(kafka).stream().map(ConsumerRecord::value).toList();
    }

    /** Every record on auth-events, with its key, from the beginning of the topic to its current end. */
    public static List<ConsumerRecord<String, String>> records(Kafka kafka) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()))) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.AUTH_EVENTS).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            Instant deadline = Instant.now().plusSeconds(30);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (Instant.now().isAfter(deadline)) {
                    throw new AssertionError("auth-events not read to its end " + end);
                }
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    records.add(record);
                }
            }
            return records;
        }
    }

    /** The events on auth-events about one device grant, in the order they were published. */
    public static List<JsonNode> aboutGrant(Kafka kafka, UUID grantId) {
        return values(kafka).stream().map(AuthEventLog::parse)
                .filter(event -> grantId.toString().equals(event.path("body").path("grantId").asText()))
                .toList();
    }

    public static JsonNode parse(String value) {
        try {
            return JSON.readTree(value);
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
