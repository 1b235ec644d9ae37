package io.infershield.token.service;

import io.infershield.testkit.infra.Kafka;
import io.infershield.testkit.quarkus.InjectInfra;
import io.infershield.testkit.quarkus.KafkaResource;
import io.infershield.testkit.quarkus.PostgresResource;
import io.infershield.testkit.sim.GitHubSimulator;
import io.infershield.token.messaging.OutboxRelay;
import io.infershield.token.support.ProviderLogins;
import io.infershield.token.support.TestClock;
import io.infershield.token.support.TokenEventLog;
import io.infershield.token.support.UpstreamResource;
import io.infershield.token.support.Upstreams;
import io.infershield.token.vault.LocalKeyring;
import io.infershield.token.vault.Sealed;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.infershield.token.support.Calls.credential;
import static io.infershield.token.support.Calls.link;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Jobs that run without a caller: the refresh scheduler (before expiry, with jitter; a permanent failure breaks the
 * link) and key rotation (rows sealed under the retired keyring version v1 move to the current v2).
 */
@QuarkusTest
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = UpstreamResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class RotationAndSchedulerTest {

    /** The retired v1 master key of the test configuration. */
    private static final LocalKeyring V1 =
            new LocalKeyring("test-only-master-key-32-bytes!!!".getBytes(StandardCharsets.US_ASCII));

    @InjectInfra
    Upstreams upstreams;

    @InjectInfra
    PostgresResource.Database db;

    @InjectInfra
    Kafka kafka;

    @Inject
    OutboxRelay relay;

    @Inject
    TestClock clock;

    @Inject
    RefreshScheduler scheduler;

    @Inject
    KeyRotation rotation;

    private final String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
    private final String user = "dev-" + UUID.randomUUID().toString().substring(0, 8);

    private void advance(Duration duration) {
        clock.advance(duration);
        upstreams.clock().advance(duration);
    }

    private List<String> events() {
        return TokenEventLog.about(relay, kafka, tenant).stream().map(TokenEventLog::summary).toList();
    }

    @Test
    void schedulerRefreshesTheCopilotTokenBeforeRefreshInAndOnlyOnce() throws Throwable {
        String github = ProviderLogins.githubToken(upstreams.github(), upstreams.clock(), user);
        link(tenant, user, "github", "{\"accessToken\":\"" + github + "\"}");
        // due at refresh_in, taken up by the scheduler up to the 1-minute jitter earlier
        advance(Duration.ofSeconds(GitHubSimulator.COPILOT_REFRESH_IN - 61));
        VertxContextSupport.subscribeAndAwait(scheduler::refreshDue);
        credential(tenant, user, "github").then().statusCode(200).body("version", is(1));

        advance(Duration.ofSeconds(61));
        VertxContextSupport.subscribeAndAwait(scheduler::refreshDue);
        VertxContextSupport.subscribeAndAwait(scheduler::refreshDue);
        credential(tenant, user, "github").then().statusCode(200).body("version", is(2));

        List<String> events = events();
        assertEquals(1, events.stream().filter(e -> e.startsWith("token.refreshed success refresh-scheduler " + user
                + " github user-token refresh")).count(), events.toString());
    }

    @Test
    void schedulerBreaksALinkWhoseRefreshTokenWasRevoked() throws Throwable {
        var tokens = ProviderLogins.openAiTokens(upstreams.openai(), user + "@example.com");
        ProviderLogins.refreshDirectly(upstreams.openai(), tokens.refreshToken());
        link(tenant, user, "openai", "{\"accessToken\":\"" + tokens.accessToken() + "\",\"refreshToken\":\""
                + tokens.refreshToken() + "\",\"expiresIn\":" + tokens.expiresIn() + "}");
        advance(Duration.ofSeconds(tokens.expiresIn() - 300));

        VertxContextSupport.subscribeAndAwait(scheduler::refreshDue);

        credential(tenant, user, "openai").then().statusCode(409).body("detail",
                is("The link to openai is broken (invalid_grant); the user must link again"));
        List<String> events = events();
        assertTrue(events.contains("token.link_broken failed refresh-scheduler " + user
                + " openai user-token refresh invalid_grant"), events.toString());
    }

    @Test
    void rotationMovesRetiredVersionRowsToTheCurrentKeyAndTheyStayReadable() throws Throwable {
        String token = "corp-" + UUID.randomUUID();
        String orgKey = "sk-org-" + UUID.randomUUID();
        Sealed link = V1.encrypt(tenant, user, "corp", token.getBytes(StandardCharsets.UTF_8)).await().indefinitely();
        Sealed org = V1.encrypt(tenant, "_org", "anthropic", orgKey.getBytes(StandardCharsets.UTF_8))
                .await().indefinitely();
        try (Connection c = db.connect()) {
            try (PreparedStatement s = c.prepareStatement("insert into provider_link (tenant, subject, provider, state, "
                    + "key_version, access_ciphertext, linked_at, updated_at) values (?, ?, 'corp', 'linked', ?, ?, now(), now())")) {
                s.setString(1, tenant);
                s.setString(2, user);
                s.setString(3, link.keyVersion());
                s.setString(4, link.ciphertext());
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement("insert into org_key (tenant, provider, ciphertext, key_version, "
                    + "fingerprint) values (?, 'anthropic', ?, ?, '00000000')")) {
                s.setString(1, tenant);
                s.setString(2, org.ciphertext());
                s.setString(3, org.keyVersion());
                s.executeUpdate();
            }
        }
        credential(tenant, user, "corp").then().statusCode(200).body("token", is(token));

        int rotated = VertxContextSupport.subscribeAndAwait(rotation::rotate);

        assertTrue(rotated >= 2, "rotated " + rotated);
        assertEquals("v2", keyVersion("select key_version from provider_link where tenant = ? and subject = '" + user + "'"));
        assertEquals("v2", keyVersion("select key_version from org_key where tenant = ?"));
        credential(tenant, user, "corp").then().statusCode(200).body("token", is(token)).body("version", is(1));
        credential(tenant, "someone", "anthropic").then().statusCode(200).body("token", is(orgKey));
        List<String> events = events();
        assertTrue(events.contains("token.rotated success key-rotation " + user + " corp user-token rotation -"),
                events.toString());
        assertTrue(events.contains("token.rotated success key-rotation - anthropic org-key rotation -"),
                events.toString());
    }

    private String keyVersion(String sql) throws Exception {
        try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, tenant);
            ResultSet rs = s.executeQuery();
            assertTrue(rs.next());
            return rs.getString(1);
        }
    }
}
