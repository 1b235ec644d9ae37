package io.infershield.auth.rest;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.infershield.auth.service.DeviceFlowService;
import io.infershield.auth.service.Secrets;
import io.infershield.auth.support.BrowserSession;
import io.infershield.auth.support.OAuthCalls.Grant;
import io.infershield.auth.support.TestClock;
import io.infershield.testkit.quarkus.InjectInfra;
import io.infershield.testkit.quarkus.KafkaResource;
import io.infershield.testkit.quarkus.PostgresResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWireMock;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.infershield.auth.support.OAuthCalls.CLIENT;
import static io.infershield.auth.support.OAuthCalls.introspect;
import static io.infershield.auth.support.OAuthCalls.issueCredential;
import static io.infershield.auth.support.OAuthCalls.poll;
import static io.infershield.auth.support.OAuthCalls.refresh;
import static io.infershield.auth.support.OAuthCalls.startGrant;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The groups introspection reports for the proxy's per-group policy: the realm roles of whoever approved the grant or
 * created the key, without Keycloak's built-in roles.
 */
@QuarkusTest
// one application boot serves every test class that names the same resources
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class IntrospectionGroupsTest {

    /** What Keycloak puts in the access token of a developer who is also on the security team. */
    private static final Set<String> ERIN_ROLES = Set.of("developer", "ciso", "offline_access", "uma_authorization",
            "default-roles-infershield");
    private static final String ERIN_GROUPS = "[\"ciso\",\"developer\"]";
    private static final String INACTIVE = "{\"active\":false}";
    private static final Pattern NEW_KEY = Pattern.compile("<code id=\"new-key\">(isk_[A-Za-z0-9_-]{43})</code>");

    @Inject
    DeviceFlowService deviceFlow;

    @Inject
    TestClock clock;

    @InjectInfra
    PostgresResource.Database db;

    @OidcWireMock
    WireMockServer provider;

    @Test
    void anApprovedGrantCarriesTheApproversRealmRolesWithoutKeycloaksBuiltInOnes() throws Exception {
        BrowserSession erin = BrowserSession.signInAs(provider, "erin", "erin-approves", ERIN_ROLES);
        String access = approveOnThePage(erin).path("access_token");

        long now = clock.instant().getEpochSecond();
        introspect(access).then().statusCode(200).body(equalTo(active("erin", CLIENT, now, now + 3600, ERIN_GROUPS)));
        assertEquals("{ciso,developer}", groupsOfTheGrantOf(access));
    }

    @Test
    void everyRefreshKeepsTheGroupsOfTheApproval() {
        BrowserSession erin = BrowserSession.signInAs(provider, "erin", "erin-refreshes", ERIN_ROLES);
        String refreshToken = approveOnThePage(erin).path("refresh_token");
        Response rotated = null;
        for (int i = 0; i < 2; i++) {
            clock.advance(Duration.ofMinutes(50));
            rotated = refresh(CLIENT, refreshToken);
            rotated.then().statusCode(200);
            refreshToken = rotated.path("refresh_token");
        }

        long now = clock.instant().getEpochSecond();
        introspect(rotated.path("access_token")).then().statusCode(200)
                .body(equalTo(active("erin", CLIENT, now, now + 3600, ERIN_GROUPS)));
    }

    @Test
    void aPersonalKeyFromTheAccountPageCarriesTheGroupsOfTheSessionThatCreatedIt() {
        BrowserSession frank = BrowserSession.signInAs(provider, "frank", "frank-creates-a-key",
                Set.of("sre", "default-roles-infershield"));
        Response created = frank.submit("/account/keys", frank.get("/account").asString(),
                Map.of("name", "ide", "days", "7"));
        assertEquals(200, created.statusCode());
        Matcher key = NEW_KEY.matcher(created.asString());
        assertTrue(key.find(), created.asString());

        long now = clock.instant().getEpochSecond();
        introspect(key.group(1)).then().statusCode(200).body(equalTo(
                active("frank", "personal-key", now, now + Duration.ofDays(7).toSeconds(), "[\"sre\"]")));
    }

    @Test
    void aPersonalKeyFromTheApiCarriesTheGroupsOfTheCredentialThatCreatedIt() {
        BrowserSession erin = BrowserSession.signInAs(provider, "erin", "erin-runs-the-cli", ERIN_ROLES);
        String access = approveOnThePage(erin).path("access_token");
        String key = given().auth().oauth2(access).contentType(ContentType.JSON)
                .body("{\"name\": \"infershield ide\", \"days\": 30}")
                .when().post("/api/me/personal-keys")
                .then().statusCode(201).extract().path("key");

        long now = clock.instant().getEpochSecond();
        introspect(key).then().statusCode(200).body(equalTo(
                active("erin", "personal-key", now, now + Duration.ofDays(30).toSeconds(), ERIN_GROUPS)));
    }

    @Test
    void aUserWithoutRealmRolesHasAnEmptyGroupList() throws Throwable {
        String access = issueCredential(deviceFlow, "carol");
        long now = clock.instant().getEpochSecond();
        introspect(access).then().statusCode(200).body(equalTo(active("carol", CLIENT, now, now + 3600, "[]")));
    }

    @Test
    void anInactiveCredentialRevealsNoGroups() {
        BrowserSession erin = BrowserSession.signInAs(provider, "erin", "erin-signs-out", ERIN_ROLES);
        Response tokens = approveOnThePage(erin);
        String expiring = tokens.path("access_token");
        String revoked = approveOnThePage(erin).path("access_token");
        given().contentType(ContentType.URLENC).formParam("token", revoked).formParam("client_id", CLIENT)
                .when().post("/oauth/revoke").then().statusCode(200);
        introspect(revoked).then().statusCode(200).body(equalTo(INACTIVE));

        clock.advance(Duration.ofHours(1));
        introspect(expiring).then().statusCode(200).body(equalTo(INACTIVE));
        // a refresh token never authorizes a call, whatever groups it carries
        introspect(tokens.path("refresh_token")).then().statusCode(200).body(equalTo(INACTIVE));
    }

    /** A whole device flow approved on the verification page by the signed-in {@code browser}; the token response. */
    private static Response approveOnThePage(BrowserSession browser) {
        Grant grant = startGrant(CLIENT);
        Response confirm = browser.submit("/device/confirm", browser.get("/device").asString(),
                Map.of("user_code", grant.userCode()));
        assertEquals(200, confirm.statusCode(), confirm.asString());
        Response result = browser.submit("/device/approve", confirm.asString(), Map.of("user_code", grant.userCode()));
        assertEquals(200, result.statusCode(), result.asString());
        Response token = poll(CLIENT, grant.deviceCode());
        token.then().statusCode(200);
        return token;
    }

    private static String active(String subject, String clientId, long issuedAt, long expiresAt, String groups) {
        return "{\"active\":true,\"sub\":\"" + subject + "\",\"tenant\":\"default\",\"client_id\":\"" + clientId
                + "\",\"scope\":\"gateway\",\"exp\":" + expiresAt + ",\"iat\":" + issuedAt
                + ",\"token_type\":\"Bearer\",\"groups\":" + groups + "}";
    }

    /** The groups column of the device grant {@code credential} was issued from, as PostgreSQL prints it. */
    private String groupsOfTheGrantOf(String credential) throws Exception {
        try (Connection c = db.connect(); PreparedStatement q = c.prepareStatement("select g.groups from device_grant g"
                + " join gateway_credential c on c.family_id = g.id where c.token_hash = ?")) {
            q.setString(1, Secrets.sha256Hex(credential));
            try (ResultSet row = q.executeQuery()) {
                assertTrue(row.next());
                return row.getString(1);
            }
        }
    }
}
