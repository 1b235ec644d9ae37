package io.infershield.events;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventEnvelopeRoundTripTest {

    private final ObjectMapper mapper = EventJson.mapper();
    private final Schema schema = loadSchema();

    private static Schema loadSchema() {
        InputStream in = EventEnvelope.class.getResourceAsStream("event-envelope.schema.json");
        return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in, InputFormat.JSON);
    }

    private static ProxyRequestCompleted sampleBody() {
        return new ProxyRequestCompleted("req-1", "/v1/chat/completions", "gpt-4o-mini", true, 200, null, "openai",
                "org-key", 42, 120, 4096, "redact", List.of(new SecurityFinding("secret", "github_pat", "request", 12, 52,
                        95, "redact", "0123456789abcdef", "ghp_…[REDACTED:github_pat]", "/messages/1/content")),
                new TokenUsage(31, 250, false));
    }

    @Test
    void typedEnvelopeSurvivesJsonRoundTrip() throws Exception {
        EventEnvelope<ProxyRequestCompleted> sent = new EventEnvelope<>(
                UUID.fromString("0d6c3a52-5f3e-4f7e-9b1e-6f7d3c2a1b00"), ProxyRequestCompleted.TYPE,
                ProxyRequestCompleted.VERSION, Instant.parse("2026-11-28T10:15:30.123Z"), "default", "alice", sampleBody());

        String json = mapper.writeValueAsString(sent);
        EventEnvelope<ProxyRequestCompleted> received = mapper.readValue(json, new TypeReference<>() {
        });

        assertEquals(sent, received);
        assertTrue(json.contains("\"occurredAt\":\"2026-11-28T10:15:30.123Z\""), json);
    }

    @Test
    void serializedEnvelopeMatchesThePublishedSchema() throws Exception {
        String json = mapper.writeValueAsString(EventEnvelope.of(ProxyRequestCompleted.TYPE, 1, "default", "alice", sampleBody()));

        List<Error> errors = schema.validate(json, InputFormat.JSON);

        assertEquals(List.of(), errors);
    }

    @Test
    void consumerThatDoesNotKnowTheBodyReadsItAsATree() throws Exception {
        String json = mapper.writeValueAsString(EventEnvelope.of(ProxyRequestCompleted.TYPE, 1, "default", "bob", sampleBody()));

        EventEnvelope<JsonNode> generic = mapper.readValue(json, new TypeReference<>() {
        });

        assertEquals("bob", generic.subject());
        assertEquals(200, generic.body().get("status").asInt());
    }

    @Test
    void anEventWithoutUsageFromAnOlderProducerIsReadWithNoneAndMatchesTheSchema() throws Exception {
        String json = """
                {"id":"0d6c3a52-5f3e-4f7e-9b1e-6f7d3c2a1b00","type":"proxy.request.completed","version":1,
                 "occurredAt":"2026-11-28T10:15:30Z","tenant":"t","subject":"alice",
                 "body":{"requestId":"r","endpoint":"/v1/chat/completions","model":"gpt-4o-mini","stream":false,
                         "status":200,"errorCode":null,"upstream":"openai","credential":"org-key","latencyMs":1,
                         "bytesIn":1,"bytesOut":1,"decision":"allow","findings":[]}}""";

        EventEnvelope<ProxyRequestCompleted> event = mapper.readValue(json, new TypeReference<>() {
        });

        assertEquals(null, event.body().usage());
        assertEquals(List.of(), schema.validate(json, InputFormat.JSON));
        String noUsage = mapper.writeValueAsString(EventEnvelope.of(ProxyRequestCompleted.TYPE, 1, "t", "alice",
                new ProxyRequestCompleted("r", "/v1/models", null, false, 200, null, "openai", "org-key", 1, 0, 1, null,
                        List.of())));
        assertTrue(noUsage.contains("\"usage\":null"), noUsage);
        assertEquals(List.of(), schema.validate(noUsage, InputFormat.JSON));
    }

    @Test
    void schemaRejectsAUsageThatIsNegativeIncompleteOrCarriesMore() {
        String body = """
                {"id":"0d6c3a52-5f3e-4f7e-9b1e-6f7d3c2a1b00","type":"proxy.request.completed","version":1,
                 "occurredAt":"2026-11-28T10:15:30Z","tenant":"t","subject":"alice",
                 "body":{"requestId":"r","endpoint":"/v1/messages","stream":false,"status":200,"latencyMs":1,
                         "bytesIn":1,"bytesOut":1,"usage":%s}}""";

        assertEquals(List.of(), schema.validate(body.formatted(
                "{\"inputTokens\":3,\"outputTokens\":0,\"estimated\":true}"), InputFormat.JSON));
        assertFalse(schema.validate(body.formatted(
                "{\"inputTokens\":-1,\"outputTokens\":0,\"estimated\":false}"), InputFormat.JSON).isEmpty());
        assertFalse(schema.validate(body.formatted("{\"inputTokens\":3,\"outputTokens\":1}"), InputFormat.JSON)
                .isEmpty());
        assertFalse(schema.validate(body.formatted(
                "{\"inputTokens\":3,\"outputTokens\":1,\"estimated\":false,\"text\":\"hi\"}"), InputFormat.JSON)
                .isEmpty());
    }

    @Test
    void unknownFieldsFromANewerProducerAreIgnored() throws Exception {
        String json = """
                {"id":"0d6c3a52-5f3e-4f7e-9b1e-6f7d3c2a1b00","type":"auth.device.approved","version":2,
                 "occurredAt":"2026-11-28T10:15:30Z","tenant":"default","subject":"alice","body":{},"traceId":"abc"}""";

        EventEnvelope<JsonNode> envelope = mapper.readValue(json, new TypeReference<>() {
        });

        assertEquals(2, envelope.version());
    }

    @Test
    void schemaRejectsAnEnvelopeWithoutIdOrWithAPromptInTheBody() {
        String noId = """
                {"type":"proxy.request.completed","version":1,"occurredAt":"2026-11-28T10:15:30Z","tenant":"t","body":{}}""";
        String extraField = """
                {"id":"0d6c3a52-5f3e-4f7e-9b1e-6f7d3c2a1b00","type":"proxy.request.completed","version":1,
                 "occurredAt":"2026-11-28T10:15:30Z","tenant":"t","subject":"alice",
                 "body":{"requestId":"r","endpoint":"/v1/chat/completions","stream":false,"status":200,"latencyMs":1,
                         "bytesIn":1,"bytesOut":1,"prompt":"the raw prompt"}}""";

        assertFalse(schema.validate(noId, InputFormat.JSON).isEmpty());
        assertFalse(schema.validate(extraField, InputFormat.JSON).isEmpty());
    }

    @Test
    void authEventSurvivesJsonRoundTripAndMatchesTheSchema() throws Exception {
        AuthEvent body = new AuthEvent("infershield-cli", UUID.fromString("5b0c6a52-5f3e-4f7e-9b1e-6f7d3c2a1b01"),
                UUID.fromString("7e1d6a52-5f3e-4f7e-9b1e-6f7d3c2a1b02"), AuthEvent.ACCESS, null, null);
        EventEnvelope<AuthEvent> sent = new EventEnvelope<>(UUID.fromString("0d6c3a52-5f3e-4f7e-9b1e-6f7d3c2a1b00"),
                AuthEvent.CREDENTIAL_ISSUED, AuthEvent.VERSION, Instant.parse("2026-11-28T10:15:30.123Z"), "default",
                "alice", body);

        String json = mapper.writeValueAsString(sent);
        EventEnvelope<AuthEvent> received = mapper.readValue(json, new TypeReference<>() {
        });

        assertEquals(sent, received);
        assertEquals(List.of(), schema.validate(json, InputFormat.JSON));
    }

    @Test
    void everyAuthEventTypeMatchesTheSchema() throws Exception {
        UUID grant = UUID.randomUUID();
        List<EventEnvelope<AuthEvent>> events = List.of(
                EventEnvelope.of(AuthEvent.DEVICE_REQUESTED, 1, "default", null,
                        new AuthEvent("infershield-cli", grant, null, null, null, "203.0.113.7")),
                EventEnvelope.of(AuthEvent.DEVICE_APPROVED, 1, "default", "alice",
                        new AuthEvent("infershield-cli", grant, null, null, null, null)),
                EventEnvelope.of(AuthEvent.DEVICE_DENIED, 1, "default", "alice",
                        new AuthEvent("infershield-cli", grant, null, null, null, null)),
                EventEnvelope.of(AuthEvent.DEVICE_EXPIRED, 1, "default", null,
                        new AuthEvent("infershield-cli", grant, null, null, null, null)),
                EventEnvelope.of(AuthEvent.CREDENTIAL_REFRESHED, 1, "default", "alice",
                        new AuthEvent("infershield-cli", grant, UUID.randomUUID(), AuthEvent.ACCESS, null, null)),
                EventEnvelope.of(AuthEvent.CREDENTIAL_REVOKED, 1, "default", "alice",
                        new AuthEvent("infershield-cli", grant, UUID.randomUUID(), AuthEvent.REFRESH,
                                AuthEvent.REASON_REFRESH_TOKEN_REUSED, null)),
                EventEnvelope.of(AuthEvent.BRUTEFORCE_BLOCKED, 1, "default", "mallory",
                        new AuthEvent(null, null, null, null, AuthEvent.REASON_TOO_MANY_FAILED_ENTRIES, "203.0.113.9")));

        for (EventEnvelope<AuthEvent> event : events) {
            assertEquals(List.of(), schema.validate(mapper.writeValueAsString(event), InputFormat.JSON), event.type());
        }
    }

    @Test
    void everyUserEventTypeSurvivesJsonRoundTripAndMatchesTheSchema() throws Exception {
        List<EventEnvelope<UserEvent>> events = List.of(
                new EventEnvelope<>(UUID.fromString("0d6c3a52-5f3e-4f7e-9b1e-6f7d3c2a1b00"), UserEvent.DISABLED,
                        UserEvent.VERSION, Instant.parse("2026-12-02T10:15:30.123Z"), "default", "dave",
                        UserEvent.disabled("ciso", "Left the company; ticket SEC-42", 3, 1, 0)),
                EventEnvelope.of(UserEvent.ENABLED, UserEvent.VERSION, "default", "dave", UserEvent.enabled("ciso")),
                EventEnvelope.of(UserEvent.LINKS_REVOKED, UserEvent.VERSION, "default", "dave",
                        UserEvent.linksRevoked("ciso", 2)),
                EventEnvelope.of(UserEvent.DISABLED, UserEvent.VERSION, "default", "erin",
                        UserEvent.disabled("ciso", "x".repeat(UserEvent.REASON_MAX), 0, 0, 0)));

        for (EventEnvelope<UserEvent> sent : events) {
            String json = mapper.writeValueAsString(sent);
            EventEnvelope<UserEvent> received = mapper.readValue(json, new TypeReference<>() {
            });
            assertEquals(sent, received);
            assertEquals(List.of(), schema.validate(json, InputFormat.JSON), sent.type());
        }
        String disabled = mapper.writeValueAsString(events.get(0));
        assertTrue(disabled.contains("\"body\":{\"actor\":\"ciso\",\"reason\":\"Left the company; ticket SEC-42\","
                + "\"credentialsRevoked\":3,\"deviceGrantsCancelled\":1,\"linkSessionsCancelled\":0,"
                + "\"linksRevoked\":null}"), disabled);
    }

    @Test
    void aConsumerThatPredatesUserEventsReadsThemAsATree() throws Exception {
        String json = mapper.writeValueAsString(EventEnvelope.of(UserEvent.DISABLED, UserEvent.VERSION, "default",
                "dave", UserEvent.disabled("ciso", null, 1, 0, 0)));

        EventEnvelope<JsonNode> generic = mapper.readValue(json, new TypeReference<>() {
        });

        assertEquals("dave", generic.subject());
        assertEquals("ciso", generic.body().get("actor").asText());
        assertEquals(1, generic.body().get("credentialsRevoked").asInt());
    }

    @Test
    void aGrantDeniedBecauseTheUserWasDisabledMatchesTheSchema() throws Exception {
        String json = mapper.writeValueAsString(EventEnvelope.of(AuthEvent.DEVICE_DENIED, 1, "default", "dave",
                new AuthEvent("infershield-cli", UUID.randomUUID(), null, null, AuthEvent.REASON_USER_DISABLED, null)));

        assertEquals(List.of(), schema.validate(json, InputFormat.JSON));
    }

    @Test
    void schemaRejectsAUserEventWithALongReasonACredentialANegativeCountOrAnUnknownType() {
        String event = """
                {"id":"0d6c3a52-5f3e-4f7e-9b1e-6f7d3c2a1b00","type":"%s","version":1,
                 "occurredAt":"2026-12-02T10:15:30Z","tenant":"t","subject":"dave",
                 "body":{"actor":"ciso","reason":%s,"credentialsRevoked":%s,"deviceGrantsCancelled":0,
                         "linkSessionsCancelled":0,"linksRevoked":null%s}}""";

        assertEquals(List.of(), schema.validate(event.formatted("auth.user.disabled", "null", "0", ""),
                InputFormat.JSON));
        assertFalse(schema.validate(event.formatted("auth.user.disabled", "\"" + "x".repeat(501) + "\"", "0", ""),
                InputFormat.JSON).isEmpty());
        assertFalse(schema.validate(event.formatted("auth.user.disabled", "null", "0", ",\"credential\":\"isk_x\""),
                InputFormat.JSON).isEmpty());
        assertFalse(schema.validate(event.formatted("auth.user.disabled", "null", "-1", ""), InputFormat.JSON)
                .isEmpty());
        assertFalse(schema.validate(event.formatted("auth.user.deleted", "null", "0", ""), InputFormat.JSON)
                .isEmpty());
    }

    @Test
    void schemaRejectsAnAuthEventCarryingACodeOrAnUnknownAuthType() {
        String withUserCode = """
                {"id":"0d6c3a52-5f3e-4f7e-9b1e-6f7d3c2a1b00","type":"auth.device.approved","version":1,
                 "occurredAt":"2026-11-28T10:15:30Z","tenant":"t","subject":"alice",
                 "body":{"clientId":"infershield-cli","grantId":"5b0c6a52-5f3e-4f7e-9b1e-6f7d3c2a1b01","credentialId":null,
                         "credentialKind":null,"reason":null,"requesterIp":null,"userCode":"BCDFGHJK"}}""";
        String unknownType = """
                {"id":"0d6c3a52-5f3e-4f7e-9b1e-6f7d3c2a1b00","type":"auth.device.guessed","version":1,
                 "occurredAt":"2026-11-28T10:15:30Z","tenant":"t","subject":"alice",
                 "body":{"clientId":null,"grantId":null,"credentialId":null,"credentialKind":null,"reason":null,
                         "requesterIp":null}}""";

        assertFalse(schema.validate(withUserCode, InputFormat.JSON).isEmpty());
        assertFalse(schema.validate(unknownType, InputFormat.JSON).isEmpty());
    }

    @Test
    void everyLinkAndTokenEventTypeMatchesTheSchema() throws Exception {
        UUID link = UUID.randomUUID();
        List<EventEnvelope<?>> events = List.of(
                EventEnvelope.of(LinkEvent.STARTED, 1, "default", "alice", new LinkEvent(link, "github", null)),
                EventEnvelope.of(LinkEvent.LINKED, 1, "default", "alice", new LinkEvent(link, "corp-idp", null)),
                EventEnvelope.of(LinkEvent.DENIED, 1, "default", "alice", new LinkEvent(link, "github", "access_denied")),
                EventEnvelope.of(LinkEvent.EXPIRED, 1, "default", "alice", new LinkEvent(link, "openai", "expired_token")),
                EventEnvelope.of(LinkEvent.FAILED, 1, "default", "alice",
                        new LinkEvent(link, "github", "device_flow_disabled")),
                EventEnvelope.of(LinkEvent.CANCELLED, 1, "default", "alice", new LinkEvent(link, "github", null)),
                EventEnvelope.of(LinkEvent.DELETED, 1, "default", "alice", new LinkEvent(link, "github", null)),
                EventEnvelope.of(TokenEvent.STORED, 1, "default", "alice", new TokenEvent("auth-service", "github",
                        TokenEvent.USER_TOKEN, "link", TokenEvent.OUTCOME_SUCCESS, "v1", null)),
                EventEnvelope.of(TokenEvent.READ, 1, "default", "alice", new TokenEvent("proxy-service", "github",
                        TokenEvent.USER_TOKEN, "proxy-request", TokenEvent.OUTCOME_TAMPERED, "v2", null)),
                EventEnvelope.of(TokenEvent.REFRESHED, 1, "default", "alice", new TokenEvent("refresh-scheduler",
                        "openai", TokenEvent.USER_TOKEN, "refresh", TokenEvent.OUTCOME_SUCCESS, "v2", null)),
                EventEnvelope.of(TokenEvent.ROTATED, 1, "default", null, new TokenEvent("admin", "openai",
                        TokenEvent.ORG_KEY, "rotation", TokenEvent.OUTCOME_SUCCESS, "v3", null)),
                EventEnvelope.of(TokenEvent.REVOKED, 1, "default", "alice", new TokenEvent("auth-service", "github",
                        TokenEvent.USER_TOKEN, "unlink", TokenEvent.OUTCOME_SUCCESS, null, null)),
                EventEnvelope.of(TokenEvent.LINK_BROKEN, 1, "default", "alice", new TokenEvent("refresh-scheduler",
                        "openai", TokenEvent.USER_TOKEN, "refresh", TokenEvent.OUTCOME_FAILED, "v1", "invalid_grant")));

        for (EventEnvelope<?> event : events) {
            assertEquals(List.of(), schema.validate(mapper.writeValueAsString(event), InputFormat.JSON), event.type());
        }
    }

    @Test
    void schemaRejectsATokenEventCarryingATokenAndUnknownTypes() {
        String withToken = """
                {"id":"0d6c3a52-5f3e-4f7e-9b1e-6f7d3c2a1b00","type":"token.read","version":1,
                 "occurredAt":"2026-11-28T10:15:30Z","tenant":"t","subject":"alice",
                 "body":{"actor":"proxy-service","provider":"github","credential":"user-token","purpose":"proxy-request",
                         "outcome":"success","keyVersion":"v1","reason":null,"token":"gho_x"}}""";
        String unknownAuthFamily = """
                {"id":"0d6c3a52-5f3e-4f7e-9b1e-6f7d3c2a1b00","type":"auth.session.started","version":1,
                 "occurredAt":"2026-11-28T10:15:30Z","tenant":"t","subject":"alice",
                 "body":{"linkId":"5b0c6a52-5f3e-4f7e-9b1e-6f7d3c2a1b01","provider":"github","error":null}}""";
        String linkWithUserCode = """
                {"id":"0d6c3a52-5f3e-4f7e-9b1e-6f7d3c2a1b00","type":"auth.link.started","version":1,
                 "occurredAt":"2026-11-28T10:15:30Z","tenant":"t","subject":"alice",
                 "body":{"linkId":"5b0c6a52-5f3e-4f7e-9b1e-6f7d3c2a1b01","provider":"github","error":null,
                         "userCode":"ABCD-1234"}}""";

        assertFalse(schema.validate(withToken, InputFormat.JSON).isEmpty());
        assertFalse(schema.validate(unknownAuthFamily, InputFormat.JSON).isEmpty());
        assertFalse(schema.validate(linkWithUserCode, InputFormat.JSON).isEmpty());
    }

    @Test
    void policyChangeMatchesTheSchemaAndUnknownProxyTypesDoNot() throws Exception {
        EventEnvelope<PolicyChanged> change = EventEnvelope.of(PolicyChanged.TYPE, PolicyChanged.VERSION, "default",
                "admin", new PolicyChanged("*", "secret", 80, "block", 90, "redact"));
        assertEquals(List.of(), schema.validate(mapper.writeValueAsString(change), InputFormat.JSON));
        String unknown = mapper.writeValueAsString(EventEnvelope.of("proxy.request.guessed", 1, "default", "admin",
                new PolicyChanged("*", "secret", 80, "block", null, null)));
        assertFalse(schema.validate(unknown, InputFormat.JSON).isEmpty());
    }

    @Test
    void recordsAreKeyedByTenantAndSubject() throws Exception {
        String json = mapper.writeValueAsString(EventEnvelope.of(PolicyChanged.TYPE, PolicyChanged.VERSION, "acme", "ada",
                new PolicyChanged("*", "secret", 80, "block", null, null)));
        assertEquals("acme/ada", Topics.recordKeyOf(json));
        assertEquals("acme/", Topics.recordKeyOf(mapper.writeValueAsString(EventEnvelope.of(PolicyChanged.TYPE,
                PolicyChanged.VERSION, "acme", null, new PolicyChanged("*", "secret", 80, "block", null, null)))));
        assertEquals(null, Topics.recordKeyOf("{\"id\":1}"));
        assertEquals(null, Topics.recordKeyOf("not json"));
    }

    @Test
    void toolPinningChangesAreEitherAnApprovalOrAModeAndMatchTheSchema() throws Exception {
        String entry = "add@sha256:" + "0c".repeat(32);
        for (ToolPinningChanged body : List.of(ToolPinningChanged.approval(entry, true),
                ToolPinningChanged.approval("Read", false), ToolPinningChanged.mode("enforce", "audit"),
                ToolPinningChanged.mode(null, "enforce"))) {
            EventEnvelope<ToolPinningChanged> change = EventEnvelope.of(ToolPinningChanged.TYPE,
                    ToolPinningChanged.VERSION, "default", "admin", body);
            String json = mapper.writeValueAsString(change);
            assertEquals(List.of(), schema.validate(json, InputFormat.JSON), json);
            EventEnvelope<ToolPinningChanged> received = mapper.readValue(json, new TypeReference<>() {
            });
            assertEquals(body, received.body());
        }
        for (ToolPinningChanged bad : List.of(new ToolPinningChanged(entry, true, "enforce", null),
                new ToolPinningChanged(null, null, "block", null), ToolPinningChanged.approval("rm -rf", true))) {
            String json = mapper.writeValueAsString(EventEnvelope.of(ToolPinningChanged.TYPE, ToolPinningChanged.VERSION,
                    "default", "admin", bad));
            assertFalse(schema.validate(json, InputFormat.JSON).isEmpty(), json);
        }
    }

    @Test
    void schemaRejectsAFindingThatCarriesTheSecretItself() {
        String withText = """
                {"id":"0d6c3a52-5f3e-4f7e-9b1e-6f7d3c2a1b00","type":"proxy.request.completed","version":1,
                 "occurredAt":"2026-11-28T10:15:30Z","tenant":"t","subject":"alice",
                 "body":{"requestId":"r","endpoint":"/v1/chat/completions","stream":false,"status":200,"latencyMs":1,
                         "bytesIn":1,"bytesOut":1,"decision":"allow","findings":[{"category":"secret","type":"aws_key",
                         "direction":"request","start":0,"end":20,"score":90,"action":"alert","hash":null,
                         "excerpt":null,"text":"AKIAIOSFODNN7EXAMPLE"}]}}""";
        assertFalse(schema.validate(withText, InputFormat.JSON).isEmpty());
    }

    @Test
    void envelopeRefusesMissingFields() {
        assertThrows(NullPointerException.class,
                () -> new EventEnvelope<>(null, "t.x", 1, Instant.now(), "default", "alice", "body"));
        assertThrows(IllegalArgumentException.class,
                () -> new EventEnvelope<>(UUID.randomUUID(), "t.x", 0, Instant.now(), "default", "alice", "body"));
    }
}
