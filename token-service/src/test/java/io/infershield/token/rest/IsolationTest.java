package io.infershield.token.rest;

import io.infershield.testkit.infra.Kafka;
import io.infershield.testkit.quarkus.InjectInfra;
import io.infershield.testkit.quarkus.KafkaResource;
import io.infershield.testkit.quarkus.PostgresResource;
import io.infershield.token.messaging.OutboxRelay;
import io.infershield.token.support.ProviderLogins;
import io.infershield.token.support.TokenEventLog;
import io.infershield.token.support.Tokens;
import io.infershield.token.support.UpstreamResource;
import io.infershield.token.support.Upstreams;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.infershield.token.support.Calls.base;
import static io.infershield.token.support.Calls.credential;
import static io.infershield.token.support.Calls.link;
import static io.infershield.token.support.Calls.rejected;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Security checklist C.2: user B can never obtain user A's token, through any endpoint or by moving rows. */
@QuarkusTest
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = UpstreamResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class IsolationTest {

    @InjectInfra
    Upstreams upstreams;

    @InjectInfra
    PostgresResource.Database db;

    @InjectInfra
    Kafka kafka;

    @Inject
    OutboxRelay relay;

    private final String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
    private final String alice = "alice-" + UUID.randomUUID().toString().substring(0, 8);
    private final String bob = "bob-" + UUID.randomUUID().toString().substring(0, 8);

    private String linkAlicesCorpToken() {
        String token = "corp-alice-" + UUID.randomUUID();
        link(tenant, alice, "corp", "{\"accessToken\":\"" + token + "\"}");
        return token;
    }

    @Test
    void anotherUsersPathNeverYieldsTheToken() {
        String token = linkAlicesCorpToken();

        credential(tenant, alice, "corp").then().statusCode(200).body("token", is(token));
        credential(tenant, bob, "corp").then().statusCode(404).body(not(containsString(token)));
        credential("other-" + tenant, alice, "corp").then().statusCode(404).body(not(containsString(token)));
        rejected(tenant, bob, "corp", 1).then().statusCode(404);
        given().auth().oauth2(Tokens.custodian()).when().delete(base(tenant, bob) + "/links/corp").then().statusCode(404);
        credential(tenant, alice, "corp").then().statusCode(200).body("token", is(token));
    }

    @Test
    void rolesDecideWhoMayReadAndWhoMayStore() {
        String token = linkAlicesCorpToken();
        String credentials = base(tenant, alice) + "/credentials/corp";
        String links = base(tenant, alice) + "/links";

        for (String wrong : new String[] {Tokens.custodian(), Tokens.withRealmRoles("ada", "admin"),
                Tokens.withRealmRoles("alice", "developer"), Tokens.withGroups("eve", "token-consumer")}) {
            given().auth().oauth2(wrong).when().get(credentials)
                    .then().statusCode(403).contentType("application/problem+json")
                    .body("detail", is("The token lacks the role this endpoint requires"))
                    .body(not(containsString(token)));
            given().auth().oauth2(wrong).contentType(ContentType.JSON).body("{\"rejectedVersion\":1}")
                    .when().post(credentials + "/refresh").then().statusCode(403);
        }
        given().auth().oauth2(Tokens.consumer()).when().get(links).then().statusCode(403);
        given().auth().oauth2(Tokens.consumer()).contentType(ContentType.JSON).body("{\"accessToken\":\"corp-mallory-01\"}")
                .when().put(links + "/corp").then().statusCode(403);
        given().auth().oauth2(Tokens.consumer()).when().delete(links + "/corp").then().statusCode(403);

        given().when().get(credentials)
                .then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer realm=\"infershield-token\"")
                .body("detail", is("A valid bearer token is required"));
        given().auth().oauth2("not-a-jwt").when().get(credentials).then().statusCode(401);
        given().auth().basic("proxy-service", "test-only-internal-secret").when().get(credentials).then().statusCode(401);
        credential(tenant, alice, "corp").then().statusCode(200).body("token", is(token));
    }

    @Test
    void craftedProviderAndUserNamesNeverReachAnotherRecord() {
        String token = linkAlicesCorpToken();
        String[] crafted = {"CORP", "corp%2F..%2F", "corp%20", "corp;x", "..%2Fcorp", "%2e%2e", "corp%00",
                "c" + "o".repeat(40) + "rp"};
        for (String provider : crafted) {
            int status = given().auth().oauth2(Tokens.consumer()).urlEncodingEnabled(false)
                    .when().get(base(tenant, bob) + "/credentials/" + provider)
                    .then().body(not(containsString(token))).extract().statusCode();
            assertTrue(status == 400 || status == 404, provider + " answered " + status);
        }
        for (String user : new String[] {bob + "%2F..%2F" + alice, alice + "%00", "..%2F" + alice, "%2A"}) {
            int status = given().auth().oauth2(Tokens.consumer()).urlEncodingEnabled(false)
                    .when().get("/internal/v1/tenants/" + tenant + "/users/" + user + "/credentials/corp")
                    .then().body(not(containsString(token))).extract().statusCode();
            assertTrue(status == 400 || status == 404, user + " answered " + status);
        }
        // the old org-key release endpoint is gone: the credentials endpoint replaced it
        given().auth().oauth2(Tokens.consumer()).when().get("/internal/v1/tenants/" + tenant + "/org-keys/corp")
                .then().statusCode(404);
    }

    @Test
    void alicesCiphertextCopiedIntoBobsRowDoesNotDecrypt() throws Exception {
        String token = linkAlicesCorpToken();
        link(tenant, bob, "corp", "{\"accessToken\":\"corp-bob-" + UUID.randomUUID() + "\"}");
        try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement("update provider_link set "
                + "access_ciphertext = (select access_ciphertext from provider_link where tenant = ? and subject = ?), "
                + "key_version = (select key_version from provider_link where tenant = ? and subject = ?) "
                + "where tenant = ? and subject = ?")) {
            s.setString(1, tenant);
            s.setString(2, alice);
            s.setString(3, tenant);
            s.setString(4, alice);
            s.setString(5, tenant);
            s.setString(6, bob);
            assertEquals(1, s.executeUpdate());
        }

        credential(tenant, bob, "corp")
                .then().statusCode(500).contentType("application/problem+json")
                .body("type", is("urn:infershield:problem:credential-undecryptable"))
                .body("detail", is("The stored credential cannot be decrypted"))
                .body(not(containsString(token)));

        List<String> events = TokenEventLog.about(relay, kafka, tenant).stream().map(TokenEventLog::summary).toList();
        assertEquals("token.read tampered " + Tokens.PROXY_SERVICE + " " + bob + " corp user-token proxy-request "
                + "ciphertext_rejected", events.get(events.size() - 1));
    }

    @Test
    void noPlaintextTokenIsStoredAnywhereInTheDatabase() throws Exception {
        String github = ProviderLogins.githubToken(upstreams.github(), upstreams.clock(), alice);
        link(tenant, alice, "github", "{\"accessToken\":\"" + github + "\"}");
        String copilot = credential(tenant, alice, "github").then().statusCode(200).extract().path("token");
        var openai = ProviderLogins.openAiTokens(upstreams.openai(), alice + "@example.com");
        link(tenant, alice, "openai", "{\"accessToken\":\"" + openai.accessToken() + "\",\"refreshToken\":\""
                + openai.refreshToken() + "\",\"expiresIn\":3600}");
        String orgKey = "sk-proj-" + UUID.randomUUID();
        given().auth().oauth2(Tokens.withRealmRoles("ada", "admin")).contentType(ContentType.JSON)
                .body("{\"apiKey\":\"" + orgKey + "\"}")
                .when().put("/admin/v1/tenants/" + tenant + "/org-keys/anthropic").then().statusCode(204);
        TokenEventLog.about(relay, kafka, tenant); // the outbox too, published or not

        String dump = dump();
        for (String secret : List.of(github, copilot, openai.accessToken(), openai.refreshToken(), orgKey,
                "gho_", "ghu_", "ghr_", "sk-", "isk_", "rt_", "tid=")) {
            assertFalse(dump.contains(secret), "the database holds " + secret.substring(0, Math.min(8, secret.length())));
        }
        assertTrue(dump.contains(alice), "the dump covers the rows just written");
    }

    /** Every row of every table in the service's schema, as text: what a stolen backup would hold. */
    private String dump() throws Exception {
        StringBuilder out = new StringBuilder();
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("select tablename from pg_tables where schemaname = 'public'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            assertTrue(tables.containsAll(List.of("provider_link", "org_key", "outbox_event")), tables.toString());
            for (String table : tables) {
                try (ResultSet rs = s.executeQuery("select t::text from \"" + table + "\" t")) {
                    while (rs.next()) {
                        out.append(rs.getString(1)).append('\n');
                    }
                }
            }
        }
        return out.toString();
    }
}
