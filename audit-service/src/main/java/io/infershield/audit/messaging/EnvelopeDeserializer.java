package io.infershield.audit.messaging;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.infershield.events.EventEnvelope;
import io.infershield.events.EventJson;
import org.apache.kafka.common.serialization.Deserializer;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;

/**
 * Reads a Kafka record value as an {@link EventEnvelope} whose body stays a JSON tree, so that every event type and
 * version can be stored, including ones this service does not know yet.
 *
 * <p>A value that is not a valid envelope yields {@code null} instead of an exception: the consumer then logs and
 * skips the record, where a throwing deserializer would stop the channel on one bad record. Nothing about the value
 * is logged here, because Jackson's messages quote the input and the input may hold anything.
 */
public class EnvelopeDeserializer implements Deserializer<EventEnvelope<JsonNode>> {

    private static final ObjectMapper MAPPER = EventJson.mapper()
            // A record that says two things (e.g. two "tenant" keys) must not be read one way here and another way by
            // the SIEM, so it is rejected rather than resolved.
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final ObjectReader ENVELOPE = MAPPER.readerFor(new TypeReference<EventEnvelope<JsonNode>>() {
    });

    @Override
    public EventEnvelope<JsonNode> deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        try {
            JsonNode tree = MAPPER.readTree(data);
            if (tree == null || !tree.isObject() || containsNul(tree)) {
                return null;
            }
            EventEnvelope<JsonNode> envelope = ENVELOPE.readValue(tree);
            // The contract (event-envelope.schema.json) requires an object body and a non-empty tenant.
            return envelope.body().isObject() && !envelope.tenant().isEmpty() ? envelope : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * PostgreSQL text and jsonb cannot hold U+0000, so such a record could never be stored: accepting it would fail
     * the transaction on every redelivery and stop consumption for good.
     */
    private static boolean containsNul(JsonNode root) {
        Deque<JsonNode> pending = new ArrayDeque<>();
        pending.push(root);
        while (!pending.isEmpty()) {
            JsonNode node = pending.pop();
            if (node.isTextual() && node.textValue().indexOf('\0') >= 0) {
                return true;
            }
            if (node.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = it.next();
                    if (field.getKey().indexOf('\0') >= 0) {
                        return true;
                    }
                    pending.push(field.getValue());
                }
            } else if (node.isArray()) {
                node.forEach(pending::push);
            }
        }
        return false;
    }
}
