package io.infershield.auth.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import io.infershield.auth.config.AuthConfig;
import io.infershield.auth.repository.OutboxRepository;
import io.infershield.auth.service.DeviceFlowService;
import io.infershield.auth.service.Secrets;
import io.infershield.auth.support.AuthEventLog;
import io.infershield.auth.support.OAuthCalls.Grant;
import io.infershield.auth.support.TestClock;
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
import io.restassured.response.Response;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.infershield.auth.support.OAuthCalls.CLIENT;
import static io.infershield.auth.support.OAuthCalls.decide;
import static io.infershield.auth.support.OAuthCalls.poll;
import static io.infershield.auth.support.OAuthCalls.refresh;
import static io.infershield.auth.support.OAuthCalls.startGrant;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** auth-events go through the transactional outbox: written with each change, on Kafka once the relay runs. */
@QuarkusTest
// one application boot serves every test class that names the same resources
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class AuthEventsOutboxTest {

    @Inject
    DeviceFlowService deviceFlow;

    @Inject
    OutboxRelay relay;

    @Inject
    Pool pool;

    @Inject
    OutboxRepository outbox;

    @Inject
    AuthConfig config;

    @Inject
    Clock clock;

    @Inject
    TestClock testClock;

    @InjectInfra
    PostgresResource.Database db;

    @InjectInfra
    Kafka kafka;

    @Test
    void aDeviceFlowPublishesRequestedApprovedAndIssuedForAlice() throws Throwable {
        Grant grant = startGrant(CLIENT);
        decide(deviceFlow, grant, true, "alice");
        Response token = poll(CLIENT, grant.deviceCode());
        token.then().statusCode(200);
        UUID grantId = grantIdOf(grant);

        AuthEventLog.relay(relay);
        List<JsonNode> events = AuthEventLog.aboutGrant(kafka, grantId);

        assertEquals(List.of("auth.device.requested", "auth.device.approved", "auth.credential.issued"),
                events.stream().map(e -> e.get("type").asText()).toList());
        JsonNode requested = events.get(0);
        assertTrue(requested.get("subject").isNull());
        assertEquals(CLIENT, requested.at("/body/clientId").asText());
        assertEquals("127.0.0.1", requested.at("/body/requesterIp").asText());
        for (JsonNode event : events.subList(1, 3)) {
            assertEquals("alice", event.get("subject").asText());
        }
        for (JsonNode event : events) {
            assertEquals("default", event.get("tenant").asText());
            assertEquals(1, event.get("version").asInt());
        }
        JsonNode issued = events.get(2);
        assertEquals("access", issued.at("/body/credentialKind").asText());
        assertEquals(credentialIdOf(token.path("access_token")), UUID.fromString(issued.at("/body/credentialId").asText()));
        // records are keyed by tenant and subject: alice's events keep their order on one partition
        List<String> keys = AuthEventLog.records(kafka).stream()
                .filter(r -> grantId.toString().equals(AuthEventLog.parse(r.value()).at("/body/grantId").asText()))
                .map(r -> r.key()).toList();
        assertEquals(List.of("default/", "default/alice", "default/alice"), keys);
    }

    @Test
    void noEventCarriesACodeACredentialOrItsHash() throws Throwable {
        Grant grant = startGrant(CLIENT);
        decide(deviceFlow, grant, true, "alice");
        Response token = poll(CLIENT, grant.deviceCode());
        String access = token.path("access_token");
        String refreshToken = token.path("refresh_token");
        refresh(CLIENT, refreshToken).then().statusCode(200);
        // reuse revokes the family, so every credential event type is produced
        refresh(CLIENT, refreshToken).then().statusCode(400);

        AuthEventLog.relay(relay);
        List<String> secrets = List.of(grant.deviceCode(), grant.userCode(), grant.canonicalUserCode(), access,
                refreshToken, Secrets.sha256Hex(grant.deviceCode()), Secrets.sha256Hex(access),
                Secrets.sha256Hex(refreshToken));
        List<String> published = AuthEventLog.values(kafka);
        List<String> stored = outboxPayloads();
        String grantId = grantIdOf(grant).toString();
        assertTrue(published.stream().anyMatch(v -> v.contains(grantId)));
        for (String secret : secrets) {
            assertTrue(published.stream().noneMatch(v -> v.contains(secret)), "published event carries a secret");
            assertTrue(stored.stream().noneMatch(v -> v.contains(secret)), "outbox row carries a secret");
        }
    }

    @Test
    void refreshAndReuseArePublishedAsRefreshedThenRevoked() throws Throwable {
        Grant grant = startGrant(CLIENT);
        decide(deviceFlow, grant, true, "alice");
        String refreshToken = poll(CLIENT, grant.deviceCode()).path("refresh_token");
        refresh(CLIENT, refreshToken).then().statusCode(200);
        refresh(CLIENT, refreshToken).then().statusCode(400);

        AuthEventLog.relay(relay);
        List<JsonNode> events = AuthEventLog.aboutGrant(kafka, grantIdOf(grant));

        assertEquals(List.of("auth.device.requested", "auth.device.approved", "auth.credential.issued",
                        "auth.credential.refreshed", "auth.credential.revoked"),
                events.stream().map(e -> e.get("type").asText()).toList());
        JsonNode revoked = events.get(4);
        assertEquals("refresh_token_reused", revoked.at("/body/reason").asText());
        assertEquals("refresh", revoked.at("/body/credentialKind").asText());
        assertEquals(credentialIdOf(refreshToken), UUID.fromString(revoked.at("/body/credentialId").asText()));
    }

    @Test
    void aDenialIsPublishedWithTheDenyingUser() throws Throwable {
        Grant grant = startGrant(CLIENT);
        decide(deviceFlow, grant, false, "alice");

        AuthEventLog.relay(relay);
        List<JsonNode> events = AuthEventLog.aboutGrant(kafka, grantIdOf(grant));

        assertEquals(List.of("auth.device.requested", "auth.device.denied"),
                events.stream().map(e -> e.get("type").asText()).toList());
        assertEquals("alice", events.get(1).get("subject").asText());
    }

    @Test
    void aClientRevocationIsPublishedOnceWithItsReason() throws Throwable {
        Grant grant = startGrant(CLIENT);
        decide(deviceFlow, grant, true, "alice");
        String access = poll(CLIENT, grant.deviceCode()).path("access_token");
        revoke(access);
        // revoking what is already revoked changes nothing, so it is not news
        revoke(access);

        AuthEventLog.relay(relay);
        List<JsonNode> revoked = AuthEventLog.aboutGrant(kafka, grantIdOf(grant)).stream()
                .filter(e -> e.get("type").asText().equals("auth.credential.revoked")).toList();

        assertEquals(1, revoked.size());
        assertEquals("client_request", revoked.get(0).at("/body/reason").asText());
        assertEquals("access", revoked.get(0).at("/body/credentialKind").asText());
        assertEquals(credentialIdOf(access), UUID.fromString(revoked.get(0).at("/body/credentialId").asText()));
    }

    private static void revoke(String token) {
        given().contentType(ContentType.URLENC).formParam("token", token).formParam("client_id", CLIENT)
                .when().post("/oauth/revoke").then().statusCode(200);
    }

    @Test
    void onlyTheFirstPollToMeetAnExpiredGrantReportsTheExpiry() throws Throwable {
        Grant grant = startGrant(CLIENT);
        testClock.advance(Duration.ofMinutes(11));
        poll(CLIENT, grant.deviceCode()).then().statusCode(400);
        testClock.advance(Duration.ofSeconds(10));
        poll(CLIENT, grant.deviceCode()).then().statusCode(400);

        AuthEventLog.relay(relay);

        assertEquals(List.of("auth.device.requested", "auth.device.expired"),
                AuthEventLog.aboutGrant(kafka, grantIdOf(grant)).stream().map(e -> e.get("type").asText()).toList());
    }

    @Test
    void anEventTheBrokerDidNotAcknowledgeStaysUnpublishedUntilALaterRun() throws Throwable {
        Grant grant = startGrant(CLIENT);
        UUID grantId = grantIdOf(grant);
        UUID eventId = outboxEventAbout(grantId);
        OutboxRelay brokerDown = new OutboxRelay(pool, outbox, failingEmitter(), config, clock);

        assertEquals(0, VertxContextSupport.subscribeAndAwait(brokerDown::publishPending));
        assertNull(publishedAt(eventId));
        assertTrue(AuthEventLog.aboutGrant(kafka, grantId).isEmpty());

        assertTrue(AuthEventLog.relay(relay) >= 1);
        assertNotNull(publishedAt(eventId));
        List<JsonNode> events = AuthEventLog.aboutGrant(kafka, grantId);
        assertEquals(1, events.size());
        assertEquals(eventId.toString(), events.get(0).get("id").asText());
    }

    /** An emitter whose every send is refused, as when no broker is reachable. */
    @SuppressWarnings("unchecked")
    private static MutinyEmitter<String> failingEmitter() {
        return (MutinyEmitter<String>) Proxy.newProxyInstance(MutinyEmitter.class.getClassLoader(),
                new Class<?>[] {MutinyEmitter.class}, (proxy, method, args) -> {
                    if (method.getName().equals("sendMessage")) {
                        return Uni.createFrom().failure(new IllegalStateException("no broker reachable"));
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private UUID grantIdOf(Grant grant) throws Exception {
        return queryUuid("select id from device_grant where device_code_hash = ?", Secrets.sha256Hex(grant.deviceCode()));
    }

    private UUID credentialIdOf(String credential) throws Exception {
        return queryUuid("select id from gateway_credential where token_hash = ?", Secrets.sha256Hex(credential));
    }

    private UUID outboxEventAbout(UUID grantId) throws Exception {
        return queryUuid("select id from outbox_event where payload like ?", "%" + grantId + "%");
    }

    private UUID queryUuid(String sql, String parameter) throws Exception {
        try (Connection c = db.connect(); PreparedStatement q = c.prepareStatement(sql)) {
            q.setString(1, parameter);
            ResultSet row = q.executeQuery();
            assertTrue(row.next(), sql);
            UUID id = row.getObject(1, UUID.class);
            assertFalse(row.next(), sql);
            return id;
        }
    }

    private Timestamp publishedAt(UUID eventId) throws Exception {
        try (Connection c = db.connect();
             PreparedStatement q = c.prepareStatement("select published_at from outbox_event where id = ?")) {
            q.setObject(1, eventId);
            ResultSet row = q.executeQuery();
            assertTrue(row.next());
            return row.getTimestamp(1);
        }
    }

    private List<String> outboxPayloads() throws Exception {
        try (Connection c = db.connect();
             PreparedStatement q = c.prepareStatement("select payload from outbox_event")) {
            ResultSet rows = q.executeQuery();
            List<String> payloads = new ArrayList<>();
            while (rows.next()) {
                payloads.add(rows.getString(1));
            }
            return payloads;
        }
    }
}
