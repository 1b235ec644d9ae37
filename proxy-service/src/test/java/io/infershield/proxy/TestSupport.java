package io.infershield.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infershield.testkit.infra.Kafka;
import io.smallrye.jwt.build.Jwt;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

/** What the security and admin tests share: Keycloak-shaped admin tokens, the audit trail, the audit hash. */
final class TestSupport {

    /** The %test value of proxy.security.audit-hash-key. */
    static final String AUDIT_HASH_KEY = "test-only-audit-hash-key-not-a-secret";

    private static final ObjectMapper JSON = new ObjectMapper();

    private TestSupport() {
    }

    /**
     * A token shaped like Keycloak's (roles under {@code realm_access/roles}), signed with the key OidcWiremockTestResource
     * publishes. Its own getAccessToken puts roles in {@code groups}, which the service ignores, as it must with Keycloak.
     */
    static String keycloakToken(String user, String... roles) {
        return Jwt.preferredUserName(user)
                .claim("realm_access", Map.of("roles", List.of(roles)))
                .issuer("https://server.example.com")
                .audience("https://server.example.com")
                .subject(user)
                .jws()
                .keyId("1")
                .sign("privateKey.jwk");
    }

    /** The first event on proxy-events, raw, whose envelope satisfies {@code match}; fails after 20 s. */
    static String awaitEvent(Kafka kafka, Predicate<JsonNode> match) throws Exception {
        return awaitRecord(kafka, match).value();
    }

    /** The first record on proxy-events whose envelope satisfies {@code match}, with its key; fails after 20 s. */
    static ConsumerRecord<String, String> awaitRecord(Kafka kafka, Predicate<JsonNode> match) throws Exception {
        Map<String, Object> props = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of("proxy-events"));
            Instant deadline = Instant.now().plusSeconds(20);
            while (Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    if (match.test(JSON.readTree(r.value()))) {
                        return r;
                    }
                }
            }
        }
        throw new AssertionError("no matching event on proxy-events");
    }

    /** The event of the request the gateway answered with {@code requestId}. */
    static String awaitRequestEvent(Kafka kafka, String requestId) throws Exception {
        return awaitEvent(kafka, e -> requestId.equals(e.at("/body/requestId").asText()));
    }

    static JsonNode json(String raw) throws Exception {
        return JSON.readTree(raw);
    }

    /** The hash an audit finding must carry for {@code matched}. */
    static String auditHash(String matched) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(AUDIT_HASH_KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return java.util.HexFormat.of().formatHex(mac.doFinal(matched.getBytes(StandardCharsets.UTF_8))).substring(0, 16);
    }

    /** The {@code data:} payloads of a server-sent event stream, in order. */
    static List<String> sseData(String body) {
        return body.lines().filter(l -> l.startsWith("data: ")).map(l -> l.substring(6)).toList();
    }
}
