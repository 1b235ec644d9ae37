package io.infershield.auth.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.infershield.auth.messaging.OutboxRelay;
import io.infershield.auth.service.DeviceFlowService;
import io.infershield.auth.service.Secrets;
import io.infershield.auth.support.AuthEventLog;
import io.infershield.auth.support.BrowserSession;
import io.infershield.auth.support.TestClock;
import io.infershield.testkit.infra.Kafka;
import io.infershield.testkit.quarkus.InjectInfra;
import io.infershield.testkit.quarkus.KafkaResource;
import io.infershield.testkit.quarkus.PostgresResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWireMock;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.response.Response;
import io.smallrye.jwt.build.Jwt;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.infershield.auth.support.OAuthCalls.CLIENT;
import static io.infershield.auth.support.OAuthCalls.introspect;
import static io.infershield.auth.support.OAuthCalls.issueTokens;
import static io.infershield.auth.support.OAuthCalls.refresh;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The account page: a user's own credentials, personal keys and self-service revocation. */
@QuarkusTest
// one application boot serves every test class that names the same resources
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class AccountPageTest {

    private static final Pattern NEW_KEY = Pattern.compile("<code id=\"new-key\">(isk_[A-Za-z0-9_-]{43})</code>");

    @Inject
    DeviceFlowService deviceFlow;

    @Inject
    OutboxRelay relay;

    @Inject
    TestClock clock;

    @InjectInfra
    PostgresResource.Database db;

    @InjectInfra
    Kafka kafka;

    @OidcWireMock
    WireMockServer provider;

    @Test
    void withoutASessionTheAccountPageRedirectsToTheOidcProvider() {
        Response response = given().redirects().follow(false).when().get("/account");
        assertEquals(302, response.statusCode());
    }

    @Test
    void aPersonalKeyIsShownOnceAndIntrospectsAsActiveForItsOwner() throws Exception {
        BrowserSession alice = BrowserSession.signIn();
        Response created = createKey(alice, "ide key", "7");
        assertEquals(200, created.statusCode());
        assertEquals("no-store", created.header("Cache-Control"));
        assertTrue(created.asString().contains("It is shown only"), created.asString());
        String key = keyIn(created.asString());

        introspect(key).then().statusCode(200)
                .body("active", equalTo(true))
                .body("sub", equalTo("alice"))
                .body("tenant", equalTo("default"))
                .body("client_id", equalTo("personal-key"))
                .body("scope", equalTo("gateway"))
                .body("exp", equalTo((int) (clock.instant().getEpochSecond() + Duration.ofDays(7).toSeconds())));

        String page = alice.get("/account").asString();
        UUID id = idOf(key);
        assertTrue(page.contains("<tr data-id=\"" + id + "\">"), page);
        assertTrue(page.contains("<td class=\"label\">ide key</td>"), page);
        assertFalse(page.contains(key), "the list never shows a key");
    }

    @Test
    void onlyTheHashOfAPersonalKeyIsStored() throws Exception {
        String key = keyIn(createKey(BrowserSession.signIn(), "stored", "1").asString());
        String secretPart = key.substring(Secrets.CREDENTIAL_PREFIX.length());
        try (Connection c = db.connect()) {
            try (PreparedStatement q = c.prepareStatement("select token_hash from gateway_credential where id = ?")) {
                q.setObject(1, idOf(key));
                ResultSet row = q.executeQuery();
                assertTrue(row.next());
                assertEquals(Secrets.sha256Hex(key), row.getString(1));
            }
            // every column of every row, as text, of the credentials and of the outbox
            for (String table : List.of("gateway_credential", "outbox_event")) {
                try (PreparedStatement q = c.prepareStatement(
                        "select count(*) from " + table + " t where t::text like ?")) {
                    q.setString(1, "%" + secretPart + "%");
                    ResultSet count = q.executeQuery();
                    count.next();
                    assertEquals(0, count.getInt(1), table);
                }
            }
        }
    }

    @Test
    void revokingOnThePageDeactivatesTheKeyAndReportsIt() throws Throwable {
        BrowserSession alice = BrowserSession.signIn();
        String key = keyIn(createKey(alice, "to revoke", "30").asString());
        UUID id = idOf(key);

        Response revoked = alice.submit("/account/credentials/" + id + "/revoke", alice.get("/account").asString(),
                Map.of());
        assertEquals(303, revoked.statusCode());
        assertTrue(revoked.header("Location").endsWith("/account"), revoked.header("Location"));

        introspect(key).then().statusCode(200).body("active", equalTo(false));
        assertFalse(alice.get("/account").asString().contains(id.toString()), "a revoked key is no longer listed");

        AuthEventLog.relay(relay);
        List<JsonNode> events = eventsAbout(id);
        assertEquals(List.of("auth.credential.issued", "auth.credential.revoked"),
                events.stream().map(event -> event.get("type").asText()).toList());
        for (JsonNode event : events) {
            assertEquals("alice", event.get("subject").asText());
            assertEquals("personal_key", event.at("/body/credentialKind").asText());
            assertEquals("personal-key", event.at("/body/clientId").asText());
            assertTrue(event.at("/body/grantId").isNull());
        }
        assertTrue(events.get(0).at("/body/reason").isNull());
        assertEquals("self_service", events.get(1).at("/body/reason").asText());
    }

    @Test
    void revokingADeviceCredentialRevokesItsWholeSignIn() throws Throwable {
        Response tokens = issueTokens(deviceFlow, "alice");
        String access = tokens.path("access_token");
        BrowserSession alice = BrowserSession.signIn();
        UUID id = idOf(access);
        assertTrue(alice.get("/account").asString().contains("<tr data-id=\"" + id + "\">"));

        assertEquals(303, alice.submit("/account/credentials/" + id + "/revoke", alice.get("/account").asString(),
                Map.of()).statusCode());

        introspect(access).then().statusCode(200).body("active", equalTo(false));
        refresh(CLIENT, tokens.path("refresh_token")).then().statusCode(400).body("error", equalTo("invalid_grant"));
        AuthEventLog.relay(relay);
        JsonNode revoked = eventsAbout(id).get(eventsAbout(id).size() - 1);
        assertEquals("auth.credential.revoked", revoked.get("type").asText());
        assertEquals("self_service", revoked.at("/body/reason").asText());
        assertEquals("access", revoked.at("/body/credentialKind").asText());
    }

    @Test
    void bobCanNeitherSeeNorRevokeAlicesKey() throws Exception {
        String key = keyIn(createKey(BrowserSession.signIn(), "alice only", "30").asString());
        UUID id = idOf(key);

        BrowserSession bob = BrowserSession.signInAs(provider, "bob", "bob-account-session");
        String bobsPage = bob.get("/account").asString();
        assertFalse(bobsPage.contains(id.toString()), bobsPage);
        assertFalse(bobsPage.contains("alice only"), bobsPage);

        Response refused = bob.submit("/account/credentials/" + id + "/revoke", bobsPage, Map.of());
        assertEquals(404, refused.statusCode());
        introspect(key).then().statusCode(200).body("active", equalTo(true)).body("sub", equalTo("alice"));
        try (Connection c = db.connect(); PreparedStatement q = c.prepareStatement(
                "select revoked_at from gateway_credential where id = ?")) {
            q.setObject(1, id);
            ResultSet row = q.executeQuery();
            assertTrue(row.next());
            assertEquals(null, row.getObject(1));
        }
    }

    @Test
    void anUnknownOrMalformedCredentialIdIsNotFound() {
        BrowserSession alice = BrowserSession.signIn();
        String page = alice.get("/account").asString();
        assertEquals(404, alice.submit("/account/credentials/" + UUID.randomUUID() + "/revoke", page, Map.of())
                .statusCode());
        assertEquals(404, alice.submit("/account/credentials/not-a-uuid/revoke", page, Map.of()).statusCode());
    }

    @Test
    void aKeyNameIsHtmlEscapedOnEveryPage() {
        BrowserSession alice = BrowserSession.signIn();
        String name = "<script>alert(1)</script>";
        Response created = createKey(alice, name, "3");
        assertEquals(200, created.statusCode());
        String escaped = "&lt;script&gt;alert(1)&lt;/script&gt;";
        assertTrue(created.asString().contains(escaped), created.asString());
        assertFalse(created.asString().contains(name));
        String list = alice.get("/account").asString();
        assertTrue(list.contains("<td class=\"label\">" + escaped + "</td>"), list);
        assertFalse(list.contains(name));
    }

    @Test
    void aLifetimeAboveTheMaximumIsRefusedWithAClearMessage() throws Exception {
        BrowserSession alice = BrowserSession.signIn();
        Response refused = createKey(alice, "too long", "91");
        assertEquals(400, refused.statusCode());
        assertTrue(refused.asString().contains("A key can live from 1 to at most 90 days; 91 is not allowed."),
                refused.asString());
        assertTrue(refused.asString().contains("id=\"key-name\" name=\"name\" value=\"too long\""));
        assertEquals(0, keysNamed("too long"));
    }

    @Test
    void badNamesAndLifetimesAreRefused() throws Exception {
        BrowserSession alice = BrowserSession.signIn();
        for (Map.Entry<String, String> bad : List.of(Map.entry("", "7"), Map.entry("   ", "7"),
                Map.entry("x".repeat(65), "7"), Map.entry("tab\there", "7"), Map.entry("zero days", "0"),
                Map.entry("not a number", "seven"))) {
            Response refused = createKey(alice, bad.getKey(), bad.getValue());
            assertEquals(400, refused.statusCode(), bad.toString());
            assertTrue(refused.asString().contains("id=\"error\""), bad.toString());
            assertFalse(refused.asString().contains("id=\"new-key\""), bad.toString());
        }
        assertEquals(200, createKey(alice, "x".repeat(64), "90").statusCode());
    }

    @Test
    void revokeAndCreateWithoutACsrfTokenAreRejected() throws Exception {
        BrowserSession alice = BrowserSession.signIn();
        String key = keyIn(createKey(alice, "csrf target", "5").asString());

        assertEquals(400, alice.post("/account/credentials/" + idOf(key) + "/revoke", Map.of()).statusCode());
        assertEquals(400, alice.post("/account/keys", Map.of("name", "forged", "days", "5")).statusCode());

        introspect(key).then().statusCode(200).body("active", equalTo(true));
        assertEquals(0, keysNamed("forged"));
    }

    @Test
    void anAdminRevocationReportsAPersonalKeyAsItselfNotAsAGrant() throws Throwable {
        BrowserSession carol = BrowserSession.signInAs(provider, "carol", "carol-account-session");
        String key = keyIn(createKey(carol, "carol's key", "10").asString());
        UUID id = idOf(key);

        given().auth().oauth2(Jwt.preferredUserName("root").subject("root")
                        .claim("realm_access", Map.of("roles", List.of("admin")))
                        .issuer("https://server.example.com").audience("https://service.example.com")
                        .jws().keyId("1").sign("privateKey.jwk"))
                .when().delete("/api/admin/users/carol/credentials").then()
                .statusCode(204);

        introspect(key).then().statusCode(200).body("active", equalTo(false));
        AuthEventLog.relay(relay);
        JsonNode revoked = eventsAbout(id).get(eventsAbout(id).size() - 1);
        assertEquals("auth.credential.revoked", revoked.get("type").asText());
        assertEquals("carol", revoked.get("subject").asText());
        assertEquals("admin", revoked.at("/body/reason").asText());
        assertEquals("personal_key", revoked.at("/body/credentialKind").asText());
        assertTrue(revoked.at("/body/grantId").isNull());
    }

    @Test
    void anExpiredKeyIsInactiveAndNoLongerListed() throws Exception {
        BrowserSession alice = BrowserSession.signIn();
        String key = keyIn(createKey(alice, "short lived", "1").asString());
        clock.advance(Duration.ofDays(1).plusSeconds(1));

        introspect(key).then().statusCode(200).body("active", equalTo(false));
        assertFalse(alice.get("/account").asString().contains(idOf(key).toString()));
    }

    private static Response createKey(BrowserSession browser, String name, String days) {
        return browser.submit("/account/keys", browser.get("/account").asString(), Map.of("name", name, "days", days));
    }

    private static String keyIn(String page) {
        Matcher key = NEW_KEY.matcher(page);
        assertTrue(key.find(), page);
        return key.group(1);
    }

    private UUID idOf(String credential) throws Exception {
        try (Connection c = db.connect(); PreparedStatement q = c.prepareStatement(
                "select id from gateway_credential where token_hash = ?")) {
            q.setString(1, Secrets.sha256Hex(credential));
            ResultSet row = q.executeQuery();
            assertTrue(row.next());
            return row.getObject(1, UUID.class);
        }
    }

    private int keysNamed(String name) throws Exception {
        try (Connection c = db.connect(); PreparedStatement q = c.prepareStatement(
                "select count(*) from gateway_credential where name = ?")) {
            q.setString(1, name);
            ResultSet count = q.executeQuery();
            count.next();
            return count.getInt(1);
        }
    }

    private List<JsonNode> eventsAbout(UUID credentialId) {
        return AuthEventLog.values(kafka).stream().map(AuthEventLog::parse)
                .filter(event -> credentialId.toString().equals(event.at("/body/credentialId").asText()))
                .toList();
    }
}
