package io.infershield.auth.link;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infershield.auth.messaging.OutboxRelay;
import io.infershield.auth.service.DeviceFlowService;
import io.infershield.auth.service.LinkService;
import io.infershield.auth.service.LinkStateCipher;
import io.infershield.auth.support.AuthEventLog;
import io.infershield.auth.support.LinkUpstreams;
import io.infershield.auth.support.LinkUpstreams.Upstreams;
import io.infershield.auth.support.TestClock;
import io.infershield.auth.support.TestDelayer;
import io.infershield.testkit.infra.Kafka;
import io.infershield.testkit.quarkus.InjectInfra;
import io.infershield.testkit.quarkus.KafkaResource;
import io.infershield.testkit.quarkus.PostgresResource;
import io.infershield.testkit.sim.GitHubSimulator;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.infershield.auth.support.LinkCalls.awaitEnd;
import static io.infershield.auth.support.LinkCalls.awaitOpenWaits;
import static io.infershield.auth.support.LinkCalls.linkEvents;
import static io.infershield.auth.support.LinkCalls.start;
import static io.infershield.auth.support.LinkCalls.stores;
import static io.infershield.auth.support.LinkCalls.tokenServiceStoresLinks;
import static io.infershield.auth.support.LinkCalls.user;
import static io.infershield.auth.support.OAuthCalls.issueCredential;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Link sessions live in the database, the device code encrypted, and pending ones resume after a restart: the rows a
 * previous instance left are claimed and polled by the path the startup runs, and a session another live replica
 * holds is left alone.
 */
@QuarkusTest
// one application boot serves every test class that names the same resources
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = LinkUpstreams.class, scope = TestResourceScope.MATCHING_RESOURCES)
class LinkResumeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String POLL_PATH = "/login/oauth/access_token";

    @Inject
    DeviceFlowService deviceFlow;

    @Inject
    LinkService links;

    @Inject
    LinkStateCipher cipher;

    @Inject
    TestDelayer delayer;

    @Inject
    TestClock clock;

    @Inject
    OutboxRelay relay;

    @InjectInfra
    Upstreams upstreams;

    @InjectInfra
    PostgresResource.Database db;

    @InjectInfra
    Kafka kafka;

    @BeforeEach
    void tokenServiceTakesLinks() {
        tokenServiceStoresLinks(upstreams.wiremock());
    }

    @AfterEach
    void endOpenFlows() {
        delayer.abandonAll();
    }

    @Test
    void theDeviceCodeIsStoredEncryptedAndBoundToItsSession() throws Throwable {
        String credential = issueCredential(deviceFlow, user("vault"));
        GitHubSimulator github = upstreams.github();
        int polls = github.received(POLL_PATH).size();
        Response started = start(credential, "github");
        UUID id = UUID.fromString(started.path("id"));
        delayer.advance(Duration.ofSeconds(5), upstreams.clock());
        awaitOpenWaits(delayer, 1);
        String deviceCode = formField(github.received(POLL_PATH).get(polls).body(), "device_code");

        byte[] stored = ciphertext(id);
        assertFalse(new String(stored, StandardCharsets.ISO_8859_1).contains(deviceCode));
        assertEquals(new DeviceCode(deviceCode), cipher.decrypt(id, stored));
        // the session id is the associated data: a ciphertext moved to another row does not decrypt
        assertThrows(IllegalStateException.class, () -> cipher.decrypt(UUID.randomUUID(), stored));
    }

    @Test
    void aPendingSessionOfAStoppedInstanceResumesAndCompletes() throws Throwable {
        String user = user("resumed");
        String credential = issueCredential(deviceFlow, user);
        GitHubSimulator github = upstreams.github();
        JsonNode authorization = githubDeviceCode();
        UUID id = UUID.randomUUID();
        // written as the stopped instance left it: its lease lapsed a second ago
        insertPending(id, user, authorization.path("device_code").asText(), authorization.path("user_code").asText(),
                clock.instant().plusSeconds(890), "auth-previous-instance", clock.instant().minusSeconds(1));

        VertxContextSupport.subscribeAndAwait(links::resumePending);

        github.approve(authorization.path("user_code").asText(), "phoenix");
        delayer.advance(Duration.ofSeconds(5), upstreams.clock());
        awaitEnd(credential, id.toString()).then().statusCode(200).body("state", equalTo("linked"))
                .body("error", nullValue());
        JsonNode body = JSON.readTree(stores(upstreams.wiremock(), user, "github").get(0).getBodyAsString());
        assertEquals("phoenix", github.loginOf(body.path("accessToken").asText()));
        AuthEventLog.relay(relay);
        assertEquals(List.of("auth.link.linked"),
                linkEvents(kafka, id.toString()).stream().map(event -> event.path("type").asText()).toList());
    }

    @Test
    void aSessionThatALiveReplicaHoldsIsNotResumed() throws Throwable {
        String user = user("held");
        JsonNode authorization = githubDeviceCode();
        UUID id = UUID.randomUUID();
        insertPending(id, user, authorization.path("device_code").asText(), authorization.path("user_code").asText(),
                clock.instant().plusSeconds(890), "auth-other-replica", clock.instant().plusSeconds(60));
        try {
            VertxContextSupport.subscribeAndAwait(links::resumePending);

            assertEquals("auth-other-replica", claimedBy(id));
            assertTrue(delayer.openWaitSeconds().isEmpty(), "this replica does not poll it");
        } finally {
            execute("update link_session set state = 'CANCELLED', device_code_ciphertext = null where id = ?::uuid", id);
        }
    }

    @Test
    void aResumedCodeTheProviderDoesNotKnowFailsWithTheProvidersCode() throws Throwable {
        String user = user("stale");
        String credential = issueCredential(deviceFlow, user);
        UUID id = UUID.randomUUID();
        insertPending(id, user, "0123456789abcdef0123456789abcdef01234567", "BCDF-GH12",
                clock.instant().plusSeconds(600), null, null);

        VertxContextSupport.subscribeAndAwait(links::resumePending);
        delayer.advance(Duration.ofSeconds(5), upstreams.clock());

        awaitEnd(credential, id.toString()).then()
                .body("state", equalTo("failed"))
                .body("error", equalTo("incorrect_device_code"));
    }

    @Test
    void aSessionThatExpiredWhileNobodyPolledEndsExpiredOnResume() throws Throwable {
        String user = user("overslept");
        String credential = issueCredential(deviceFlow, user);
        UUID id = UUID.randomUUID();
        insertPending(id, user, "expired-device-code", "BCDF-GH34", clock.instant().minusSeconds(1), null, null);

        VertxContextSupport.subscribeAndAwait(links::resumePending);

        awaitEnd(credential, id.toString()).then().body("state", equalTo("expired"));
        AuthEventLog.relay(relay);
        assertEquals(List.of("auth.link.expired"),
                linkEvents(kafka, id.toString()).stream().map(event -> event.path("type").asText()).toList());
    }

    /** A device code straight from GitHub, as the previous instance got it. */
    private JsonNode githubDeviceCode() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(upstreams.github().baseUrl() + "/login/device/code"))
                .header("Accept", "application/json").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("client_id=" + GitHubSimulator.COPILOT_CLIENT_ID
                        + "&scope=read%3Auser")).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }

    private void insertPending(UUID id, String user, String deviceCode, String userCode, Instant expiresAt,
            String claimedBy, Instant leaseUntil) throws Exception {
        try (Connection connection = db.connect(); PreparedStatement insert = connection.prepareStatement("""
                insert into link_session (id, tenant, subject, provider, state, device_code_ciphertext, user_code,
                    verification_uri, interval_seconds, expires_at, created_at, updated_at, claimed_by, lease_until)
                values (?::uuid, 'default', ?, 'github', 'PENDING', ?, ?, ?, 5, ?, ?, ?, ?, ?)""")) {
            Timestamp now = Timestamp.from(clock.instant());
            insert.setString(1, id.toString());
            insert.setString(2, user);
            insert.setBytes(3, cipher.encrypt(id, new DeviceCode(deviceCode)));
            insert.setString(4, userCode);
            insert.setString(5, upstreams.github().baseUrl() + "/login/device");
            insert.setTimestamp(6, Timestamp.from(expiresAt));
            insert.setTimestamp(7, now);
            insert.setTimestamp(8, now);
            insert.setString(9, claimedBy);
            insert.setTimestamp(10, leaseUntil == null ? null : Timestamp.from(leaseUntil));
            insert.executeUpdate();
        }
    }

    private byte[] ciphertext(UUID id) throws Exception {
        return (byte[]) column("device_code_ciphertext", id);
    }

    private String claimedBy(UUID id) throws Exception {
        return (String) column("claimed_by", id);
    }

    private Object column(String name, UUID id) throws Exception {
        try (Connection connection = db.connect();
             PreparedStatement query = connection.prepareStatement("select " + name + " from link_session where id = ?::uuid")) {
            query.setString(1, id.toString());
            try (ResultSet row = query.executeQuery()) {
                assertTrue(row.next());
                return row.getObject(1);
            }
        }
    }

    private void execute(String sql, UUID id) throws Exception {
        try (Connection connection = db.connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, id.toString());
            statement.executeUpdate();
        }
    }

    private static String formField(String form, String name) {
        for (String pair : form.split("&")) {
            if (pair.startsWith(name + "=")) {
                return java.net.URLDecoder.decode(pair.substring(name.length() + 1), StandardCharsets.UTF_8);
            }
        }
        throw new AssertionError(name + " not in the request");
    }
}
