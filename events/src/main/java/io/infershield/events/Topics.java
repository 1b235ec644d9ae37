package io.infershield.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.List;

/**
 * Topic names: one topic per producing service, and the channel name equals the topic name. Records are keyed by
 * tenant and subject ({@link #recordKey}).
 */
public final class Topics {
    public static final String AUTH_EVENTS = "auth-events";
    public static final String TOKEN_EVENTS = "token-events";
    public static final String PROXY_EVENTS = "proxy-events";

    /** Every topic the audit store and the SIEM consume. */
    public static final List<String> ALL = List.of(AUTH_EVENTS, TOKEN_EVENTS, PROXY_EVENTS);

    private Topics() {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The Kafka record key of an event: {@code <tenant>/<subject>} ({@code <tenant>/} without a subject). The records
     * of one key stay in order on one partition, so a consumer (the audit store, a SIEM) reads each user's events in
     * the order they were written, whatever the topic's partition count.
     */
    public static String recordKey(String tenant, String subject) {
        return tenant + "/" + (subject == null ? "" : subject);
    }

    /** The record key of a serialised envelope ({@link #recordKey}); null when the JSON holds no tenant. */
    public static String recordKeyOf(String envelopeJson) {
        try {
            JsonNode envelope = JSON.readTree(envelopeJson);
            JsonNode tenant = envelope.path("tenant");
            JsonNode subject = envelope.path("subject");
            return tenant.isTextual() ? recordKey(tenant.asText(), subject.isTextual() ? subject.asText() : null) : null;
        } catch (JsonProcessingException notJson) {
            return null;
        }
    }
}
