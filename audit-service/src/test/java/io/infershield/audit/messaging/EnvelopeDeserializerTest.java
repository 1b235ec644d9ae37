package io.infershield.audit.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import io.infershield.events.EventEnvelope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class EnvelopeDeserializerTest {

    private static final String ID = "0b7c3f0e-8a1d-4c55-9a43-6f1c2b3d4e5f";

    private final EnvelopeDeserializer deserializer = new EnvelopeDeserializer();

    private EventEnvelope<JsonNode> read(String json) {
        return deserializer.deserialize("auth-events", json == null ? null : json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsAValidEnvelopeAndKeepsTheBodyAsATree() {
        EventEnvelope<JsonNode> event = read("""
                {"id":"%s","type":"auth.device.approved","version":2,"occurredAt":"2025-03-01T10:15:30.123Z",
                 "tenant":"default","subject":"alice","body":{"clientId":"cli","nested":{"n":[1,2]}},"extra":true}"""
                .formatted(ID));

        assertEquals(UUID.fromString(ID), event.id());
        assertEquals("auth.device.approved", event.type());
        assertEquals(2, event.version());
        assertEquals(Instant.parse("2025-03-01T10:15:30.123Z"), event.occurredAt());
        assertEquals("default", event.tenant());
        assertEquals("alice", event.subject());
        assertEquals("{\"clientId\":\"cli\",\"nested\":{\"n\":[1,2]}}", event.body().toString());
    }

    @Test
    void acceptsASystemEventWithoutSubject() {
        EventEnvelope<JsonNode> event = read("""
                {"id":"%s","type":"token.key.rotated","version":1,"occurredAt":"2025-03-01T10:15:30Z",
                 "tenant":"default","subject":null,"body":{}}""".formatted(ID));

        assertNull(event.subject());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "not json at all",
            "[1,2,3]",
            "\"a string\"",
            // missing id, type, occurredAt, tenant, body; version 0
            "{\"type\":\"a.b\",\"version\":1,\"occurredAt\":\"2025-03-01T10:15:30Z\",\"tenant\":\"t\",\"body\":{}}",
            "{\"id\":\"" + ID + "\",\"version\":1,\"occurredAt\":\"2025-03-01T10:15:30Z\",\"tenant\":\"t\",\"body\":{}}",
            "{\"id\":\"" + ID + "\",\"type\":\"a.b\",\"version\":1,\"tenant\":\"t\",\"body\":{}}",
            "{\"id\":\"" + ID + "\",\"type\":\"a.b\",\"version\":1,\"occurredAt\":\"2025-03-01T10:15:30Z\",\"body\":{}}",
            "{\"id\":\"" + ID + "\",\"type\":\"a.b\",\"version\":1,\"occurredAt\":\"2025-03-01T10:15:30Z\",\"tenant\":\"t\"}",
            "{\"id\":\"" + ID + "\",\"type\":\"a.b\",\"version\":0,\"occurredAt\":\"2025-03-01T10:15:30Z\",\"tenant\":\"t\",\"body\":{}}",
            // wrong types and values
            "{\"id\":\"nope\",\"type\":\"a.b\",\"version\":1,\"occurredAt\":\"2025-03-01T10:15:30Z\",\"tenant\":\"t\",\"body\":{}}",
            "{\"id\":\"" + ID + "\",\"type\":\"a.b\",\"version\":1,\"occurredAt\":\"yesterday\",\"tenant\":\"t\",\"body\":{}}",
            "{\"id\":\"" + ID + "\",\"type\":\"a.b\",\"version\":\"x\",\"occurredAt\":\"2025-03-01T10:15:30Z\",\"tenant\":\"t\",\"body\":{}}",
            "{\"id\":\"" + ID + "\",\"type\":\"a.b\",\"version\":1,\"occurredAt\":\"2025-03-01T10:15:30Z\",\"tenant\":\"\",\"body\":{}}",
            "{\"id\":\"" + ID + "\",\"type\":\"a.b\",\"version\":1,\"occurredAt\":\"2025-03-01T10:15:30Z\",\"tenant\":\"t\",\"body\":null}",
            "{\"id\":\"" + ID + "\",\"type\":\"a.b\",\"version\":1,\"occurredAt\":\"2025-03-01T10:15:30Z\",\"tenant\":\"t\",\"body\":[1]}",
            // ambiguous or trailing input
            "{\"id\":\"" + ID + "\",\"type\":\"a.b\",\"version\":1,\"occurredAt\":\"2025-03-01T10:15:30Z\",\"tenant\":\"t\",\"tenant\":\"u\",\"body\":{}}",
            "{\"id\":\"" + ID + "\",\"type\":\"a.b\",\"version\":1,\"occurredAt\":\"2025-03-01T10:15:30Z\",\"tenant\":\"t\",\"body\":{}} {}",
            // U+0000, which PostgreSQL cannot store, in a value, in a nested key, in an array
            "{\"id\":\"" + ID + "\",\"type\":\"a.b\",\"version\":1,\"occurredAt\":\"2025-03-01T10:15:30Z\",\"tenant\":\"t\\u0000\",\"body\":{}}",
            "{\"id\":\"" + ID + "\",\"type\":\"a.b\",\"version\":1,\"occurredAt\":\"2025-03-01T10:15:30Z\",\"tenant\":\"t\",\"body\":{\"a\":{\"k\\u0000\":1}}}",
            "{\"id\":\"" + ID + "\",\"type\":\"a.b\",\"version\":1,\"occurredAt\":\"2025-03-01T10:15:30Z\",\"tenant\":\"t\",\"body\":{\"a\":[\"x\",\"\\u0000\"]}}",
    })
    void rejectsWhatIsNotAStorableEnvelope(String value) {
        assertNull(read(value));
    }

    @Test
    void rejectsATombstone() {
        assertNull(read(null));
    }
}
