package io.infershield.token.rest;

import io.infershield.testkit.quarkus.InjectInfra;
import io.infershield.testkit.quarkus.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
// Not global, yet shared by every class with the same two resources: one app boot for the module's suites.
@WithTestResource(PostgresResource.class)
@WithTestResource(OidcWiremockTestResource.class)
class InternalOrgKeyResourceTest {

    private static final String CLIENT_ID = "proxy-service";
    private static final String SECRET = "test-only-internal-secret";
    private static final String ON_BEHALF_OF = "X-InferShield-On-Behalf-Of";
    private static final String BASIC_CHALLENGE = "Basic realm=\"infershield-token\", charset=\"UTF-8\"";

    @InjectInfra
    PostgresResource.Database db;

    private final String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);

    private String orgKey(String tenant, String provider) {
        return "/internal/v1/tenants/" + tenant + "/org-keys/" + provider;
    }

    private static RequestSpecification proxy() {
        return given().auth().preemptive().basic(CLIENT_ID, SECRET);
    }

    private void store(String tenant, String provider, String apiKey) {
        given().auth().oauth2(Tokens.withRealmRoles("ada", "admin"))
                .contentType(ContentType.JSON).body(Map.of("apiKey", apiKey))
                .when().put("/admin/v1/tenants/" + tenant + "/org-keys/" + provider)
                .then().statusCode(204);
    }

    private static String basic(String userPass) {
        return "Basic " + Base64.getEncoder().encodeToString(userPass.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void proxyGetsTheDecryptedKeyUncached() {
        String apiKey = "sk-ant-" + UUID.randomUUID();
        store(tenant, "anthropic", apiKey);

        proxy().header(ON_BEHALF_OF, "alice@example.com")
                .when().get(orgKey(tenant, "anthropic"))
                .then().statusCode(200).contentType(ContentType.JSON)
                .header("Cache-Control", equalTo("no-store"))
                .body("$", equalTo(Map.of("provider", "anthropic", "apiKey", apiKey, "keyVersion", "v1")));
    }

    @Test
    void bootstrapKeyFromConfigurationIsStoredAtStart() throws Exception {
        proxy().header(ON_BEHALF_OF, "alice@example.com")
                .when().get(orgKey("default", "openai"))
                .then().statusCode(200)
                .body("$", equalTo(Map.of("provider", "openai", "apiKey", "sk-test-bootstrap-0123456789",
                        "keyVersion", "v1")));

        try (Connection c = db.connect();
             PreparedStatement s = c.prepareStatement("select k::text from org_key k where tenant = 'default'")) {
            ResultSet rs = s.executeQuery();
            assertTrue(rs.next());
            assertFalse(rs.getString(1).contains("sk-"), rs.getString(1));
        }
    }

    @Test
    void withoutCredentialsIs401WithBasicChallenge() {
        given().header(ON_BEHALF_OF, "alice@example.com")
                .when().get(orgKey("default", "openai"))
                .then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", equalTo(BASIC_CHALLENGE))
                .body("type", equalTo("about:blank"))
                .body("title", equalTo("Unauthorized"))
                .body("status", equalTo(401))
                .body("detail", equalTo("Valid HTTP Basic credentials of the internal caller are required"));
    }

    @Test
    void wrongOrMalformedCredentialsAre401() {
        String[] authorizations = {
                basic(CLIENT_ID + ":" + SECRET + "x"),
                basic(CLIENT_ID + ":" + SECRET.substring(1)),
                basic("audit-service:" + SECRET),
                basic(CLIENT_ID + SECRET),
                basic(""),
                "Basic not*base64",
                "Basic",
                "Digest " + Base64.getEncoder().encodeToString((CLIENT_ID + ":" + SECRET).getBytes(StandardCharsets.UTF_8)),
                "Bearer " + Tokens.withRealmRoles("ada", "admin"),
        };
        for (String authorization : authorizations) {
            given().header("Authorization", authorization).header(ON_BEHALF_OF, "alice@example.com")
                    .when().get(orgKey("default", "openai"))
                    .then().statusCode(401).contentType("application/problem+json")
                    .header("WWW-Authenticate", equalTo(BASIC_CHALLENGE))
                    .body("detail", equalTo("Valid HTTP Basic credentials of the internal caller are required"));
        }
    }

    @Test
    void schemeNameIsCaseInsensitive() {
        given().header("Authorization", basic(CLIENT_ID + ":" + SECRET).replace("Basic", "bAsIc"))
                .header(ON_BEHALF_OF, "alice@example.com")
                .when().get(orgKey("default", "openai"))
                .then().statusCode(200);
    }

    @Test
    void callerIsAuthenticatedBeforeTheRequestIsValidated() {
        given().when().get(orgKey("default", "openai")).then().statusCode(401);
        given().when().get(orgKey("default", "Not_A_Provider")).then().statusCode(401);
    }

    @Test
    void missingOnBehalfOfIs400() {
        proxy().when().get(orgKey("default", "openai"))
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("about:blank"))
                .body("title", equalTo("Bad Request"))
                .body("status", equalTo(400))
                .body("detail", equalTo("Header X-InferShield-On-Behalf-Of must name the user, in at most 256 characters"));
        proxy().header(ON_BEHALF_OF, " ").when().get(orgKey("default", "openai")).then().statusCode(400);
        proxy().header(ON_BEHALF_OF, "u".repeat(257)).when().get(orgKey("default", "openai")).then().statusCode(400);
    }

    @Test
    void unknownProviderIs404() {
        proxy().header(ON_BEHALF_OF, "alice@example.com")
                .when().get(orgKey(tenant, "mistral"))
                .then().statusCode(404).contentType("application/problem+json")
                .body("type", equalTo("about:blank"))
                .body("title", equalTo("Not Found"))
                .body("status", equalTo(404))
                .body("detail", equalTo("No org key for provider mistral in tenant " + tenant));
    }

    @Test
    void ciphertextCopiedToAnotherTenantsRowDoesNotDecrypt() throws Exception {
        String victim = tenant + "-a";
        String attacker = tenant + "-b";
        store(victim, "openai", "sk-victim-" + UUID.randomUUID());
        store(attacker, "openai", "sk-attacker-" + UUID.randomUUID());

        try (Connection c = db.connect();
             PreparedStatement s = c.prepareStatement("update org_key set ciphertext = "
                     + "(select ciphertext from org_key where tenant = ? and provider = 'openai') "
                     + "where tenant = ? and provider = 'openai'")) {
            s.setString(1, victim);
            s.setString(2, attacker);
            assertEquals(1, s.executeUpdate());
        }

        proxy().header(ON_BEHALF_OF, "mallory")
                .when().get(orgKey(attacker, "openai"))
                .then().statusCode(500).contentType("application/problem+json")
                .body("type", equalTo("about:blank"))
                .body("title", equalTo("Internal Server Error"))
                .body("status", equalTo(500))
                .body("detail", equalTo("The stored key cannot be decrypted"));
    }
}
