package io.infershield.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infershield.events.EventEnvelope;

import java.time.Instant;
import java.util.UUID;

/** Builds the event envelopes the report tests publish, with bodies shaped as docs/events.md documents them. */
public final class ReportEvents {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private ReportEvents() {
    }

    public static EventEnvelope<JsonNode> event(String type, String tenant, String subject, Instant at, JsonNode body) {
        return new EventEnvelope<>(UUID.randomUUID(), type, 1, at, tenant, subject, body);
    }

    /** A {@code proxy.request.completed} body; {@code usage} only when {@code inputTokens} is not null. */
    public static ObjectNode request(String endpoint, String upstream, String model, int status, String errorCode,
            String decision, Long inputTokens, Long outputTokens, boolean estimated, JsonNode... findings) {
        ObjectNode body = JSON.objectNode()
                .put("requestId", "req-" + UUID.randomUUID())
                .put("endpoint", endpoint).put("upstream", upstream).put("model", model).put("stream", false)
                .put("status", status).put("errorCode", errorCode).put("credential", "org-key")
                .put("latencyMs", 10).put("bytesIn", 100).put("bytesOut", 200).put("decision", decision);
        if (inputTokens != null) {
            body.putObject("usage").put("inputTokens", inputTokens).put("outputTokens", outputTokens)
                    .put("estimated", estimated);
        } else {
            body.putNull("usage");
        }
        ArrayNode list = body.putArray("findings");
        for (JsonNode f : findings) {
            list.add(f);
        }
        return body;
    }

    public static ObjectNode finding(String category, String type, int score, String action, String excerpt,
            String hash, String location) {
        return JSON.objectNode().put("category", category).put("type", type).put("direction", "request")
                .put("start", 0).put("end", 10).put("score", score).put("action", action).put("hash", hash)
                .put("excerpt", excerpt).put("location", location);
    }

    public static ObjectNode auth(String credentialKind, String reason) {
        return JSON.objectNode().put("clientId", "infershield-cli").put("grantId", UUID.randomUUID().toString())
                .put("credentialId", credentialKind == null ? null : UUID.randomUUID().toString())
                .put("credentialKind", credentialKind).put("reason", reason).putNull("requesterIp");
    }

    public static ObjectNode link(String provider, String error) {
        return JSON.objectNode().put("linkId", UUID.randomUUID().toString()).put("provider", provider)
                .put("error", error);
    }

    public static ObjectNode token(String provider, String purpose, String outcome, String reason) {
        return JSON.objectNode().put("actor", "service-account-infershield-proxy").put("provider", provider)
                .put("credential", "user-token").put("purpose", purpose).put("outcome", outcome)
                .put("keyVersion", "1").put("reason", reason);
    }

    public static ObjectNode policy(String group, String category, Integer threshold, String action,
            Integer previousThreshold, String previousAction) {
        return JSON.objectNode().put("group", group).put("category", category).put("threshold", threshold)
                .put("action", action).put("previousThreshold", previousThreshold).put("previousAction", previousAction);
    }
}
