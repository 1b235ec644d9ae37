package io.infershield.token.rest;

import io.infershield.token.support.Tokens;

import io.infershield.testkit.quarkus.InjectInfra;
import io.infershield.testkit.quarkus.PostgresResource;
import io.infershield.testkit.quarkus.KafkaResource;
import io.infershield.token.support.UpstreamResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = UpstreamResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class AdminOrgKeyResourceTest {

    private static final String ISO_INSTANT = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z";

    @InjectInfra
    PostgresResource.Database db;

    private final String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
    private final String keys = "/admin/v1/tenants/" + tenant + "/org-keys";

    private static RequestSpecification admin() {
        return given().auth().oauth2(Tokens.withRealmRoles("ada", "admin"));
    }

    private static String fingerprint(String key) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest).substring(0, 8);
    }

    @Test
    void putStoresKeyAndListShowsOnlyMetadata() throws Exception {
        String apiKey = "sk-live-" + UUID.randomUUID();
        admin().contentType(ContentType.JSON).body("{\"apiKey\":\"" + apiKey + "\"}")
                .when().put(keys + "/openai")
                .then().statusCode(204).body(equalTo(""));

        admin().when().get(keys)
                .then().statusCode(200).contentType(ContentType.JSON)
                .body("$", hasSize(1))
                .body("[0].provider", equalTo("openai"))
                .body("[0].keyVersion", equalTo("v2"))
                .body("[0].fingerprint", equalTo(fingerprint(apiKey)))
                .body("[0].createdAt", matchesPattern(ISO_INSTANT))
                .body("[0].updatedAt", matchesPattern(ISO_INSTANT))
                .body("[0].keySet()", equalTo(Set.of("provider", "keyVersion", "createdAt", "updatedAt", "fingerprint")))
                .body(not(containsString(apiKey)));
    }

    @Test
    void bothBootstrapFormsStoreTheirKeysAtStart() throws Exception {
        // application.properties (%test): the single key for openai and a key by provider for anthropic
        admin().when().get("/admin/v1/tenants/default/org-keys")
                .then().statusCode(200)
                .body("provider", equalTo(List.of("anthropic", "openai")))
                .body("fingerprint", equalTo(List.of(fingerprint("sk-ant-test-bootstrap-0123456789"),
                        fingerprint("sk-test-bootstrap-0123456789"))));
    }

    @Test
    void putAgainReplacesTheKeyAndKeepsCreatedAt() throws Exception {
        admin().contentType(ContentType.JSON).body("{\"apiKey\":\"sk-first-key-000\"}")
                .when().put(keys + "/anthropic").then().statusCode(204);
        String createdAt = admin().when().get(keys).then().extract().path("[0].createdAt");

        admin().contentType(ContentType.JSON).body("{\"apiKey\":\"sk-second-key-111\"}")
                .when().put(keys + "/anthropic").then().statusCode(204);

        admin().when().get(keys)
                .then().statusCode(200)
                .body("$", hasSize(1))
                .body("[0].fingerprint", equalTo(fingerprint("sk-second-key-111")))
                .body("[0].createdAt", equalTo(createdAt));
    }

    @Test
    void listIsSortedByProviderAndScopedToTheTenant() {
        for (String provider : new String[] {"openai", "anthropic"}) {
            admin().contentType(ContentType.JSON).body("{\"apiKey\":\"sk-key-for-" + provider + "\"}")
                    .when().put(keys + "/" + provider).then().statusCode(204);
        }
        String otherTenant = "/admin/v1/tenants/other-" + UUID.randomUUID().toString().substring(0, 8) + "/org-keys";

        admin().when().get(keys).then().statusCode(200)
                .body("provider", equalTo(List.of("anthropic", "openai")));
        admin().when().get(otherTenant).then().statusCode(200).body("$", empty());
    }

    @Test
    void deleteRemovesTheKeyAndASecondDeleteIs404() {
        admin().contentType(ContentType.JSON).body("{\"apiKey\":\"sk-doomed-key-42\"}")
                .when().put(keys + "/openai").then().statusCode(204);

        admin().when().delete(keys + "/openai").then().statusCode(204).body(equalTo(""));
        admin().when().get(keys).then().statusCode(200).body("$", empty());
        admin().when().delete(keys + "/openai")
                .then().statusCode(404).contentType("application/problem+json")
                .body("type", equalTo("about:blank"))
                .body("title", equalTo("Not Found"))
                .body("status", equalTo(404))
                .body("detail", equalTo("No org key for provider openai in tenant " + tenant));
    }

    @Test
    void databaseRowHoldsOnlyCiphertext() throws Exception {
        String apiKey = "sk-proj-" + UUID.randomUUID().toString().replace("-", "");
        admin().contentType(ContentType.JSON).body("{\"apiKey\":\"" + apiKey + "\"}")
                .when().put(keys + "/openai").then().statusCode(204);

        try (Connection c = db.connect();
             PreparedStatement s = c.prepareStatement(
                     "select k::text as row, ciphertext, key_version from org_key k where tenant = ?")) {
            s.setString(1, tenant);
            ResultSet rs = s.executeQuery();
            assertTrue(rs.next());
            String row = rs.getString("row");
            assertFalse(row.contains(apiKey), row);
            assertFalse(row.contains("sk-"), row);
            assertEquals("v2", rs.getString("key_version"));
            String raw = new String(Base64.getDecoder().decode(rs.getString("ciphertext")), StandardCharsets.ISO_8859_1);
            assertFalse(raw.contains("sk-"), "the base64 must not merely wrap the key");
            assertNotEquals(apiKey.length(), raw.length(), "nonce and tag surround the ciphertext");
        }
    }

    @Test
    void withoutTokenIs401WithBearerChallenge() {
        given().when().get(keys)
                .then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", equalTo("Bearer realm=\"infershield-token\""))
                .body("type", equalTo("about:blank"))
                .body("title", equalTo("Unauthorized"))
                .body("status", equalTo(401))
                .body("detail", equalTo("A valid bearer token is required"));
        given().contentType(ContentType.JSON).body("{\"apiKey\":\"sk-unauthenticated\"}")
                .when().put(keys + "/openai").then().statusCode(401);
        given().when().delete(keys + "/openai").then().statusCode(401);
    }

    @Test
    void forgedOrGarbageTokenIs401() {
        given().auth().oauth2("not-a-jwt").when().get(keys)
                .then().statusCode(401).contentType("application/problem+json")
                .body("detail", equalTo("A valid bearer token is required"));
        String token = Tokens.withRealmRoles("mallory", "admin");
        String tampered = token.substring(0, token.lastIndexOf('.') + 1) + "AAAA" + token.substring(token.lastIndexOf('.') + 5);
        given().auth().oauth2(tampered).when().get(keys).then().statusCode(401);
    }

    @Test
    void developerRoleIs403() {
        given().auth().oauth2(Tokens.withRealmRoles("dev", "developer"))
                .contentType(ContentType.JSON).body("{\"apiKey\":\"sk-not-allowed-1\"}")
                .when().put(keys + "/openai")
                .then().statusCode(403).contentType("application/problem+json")
                .body("type", equalTo("about:blank"))
                .body("title", equalTo("Forbidden"))
                .body("status", equalTo(403))
                .body("detail", equalTo("The token lacks the role this endpoint requires"));
        given().auth().oauth2(Tokens.withRealmRoles("dev", "developer")).when().get(keys).then().statusCode(403);
        given().auth().oauth2(Tokens.withRealmRoles("dev", "developer")).when().delete(keys + "/openai")
                .then().statusCode(403);
    }

    @Test
    void adminOnlyInGroupsClaimIsNotARealmRole() {
        given().auth().oauth2(Tokens.withGroups("eve", "admin")).when().get(keys).then().statusCode(403);
    }

    @Test
    void malformedJsonIs400() {
        admin().contentType(ContentType.JSON).body("{\"apiKey\": \"sk-half-a-body")
                .when().put(keys + "/openai")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("about:blank"))
                .body("title", equalTo("Bad Request"))
                .body("status", equalTo(400))
                .body("detail", equalTo("The request body is not the JSON this endpoint takes"))
                .body(not(containsString("sk-half")));
        admin().contentType(ContentType.JSON).body("{\"apiKey\": {\"nested\": true}}")
                .when().put(keys + "/openai")
                .then().statusCode(400)
                .body("detail", equalTo("The request body is not the JSON this endpoint takes"));
    }

    @Test
    void wrongContentTypeIs415() {
        admin().contentType(ContentType.TEXT).body("apiKey=sk-as-text-123")
                .when().put(keys + "/openai")
                .then().statusCode(415).contentType("application/problem+json")
                .body("type", equalTo("about:blank"))
                .body("title", equalTo("Unsupported Media Type"))
                .body("status", equalTo(415))
                .body("detail", equalTo("The request body must be application/json"));
    }

    @Test
    void invalidProviderIs400() {
        for (String provider : new String[] {"OpenAI", "open_ai", "a".repeat(33)}) {
            admin().contentType(ContentType.JSON).body("{\"apiKey\":\"sk-valid-key-123\"}")
                    .when().put(keys + "/" + provider)
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("title", equalTo("Bad Request"))
                    .body("detail", equalTo("provider: must match \"[a-z0-9-]{1,32}\""));
        }
        admin().when().get(keys).then().statusCode(200).body("$", empty());
    }

    @Test
    void invalidApiKeyIs400WithoutEchoingIt() {
        admin().contentType(ContentType.JSON).body("{}")
                .when().put(keys + "/openai")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", equalTo("apiKey: must not be null"));
        admin().contentType(ContentType.JSON).body("{\"apiKey\":\"sk-1234\"}")
                .when().put(keys + "/openai")
                .then().statusCode(400)
                .body("detail", equalTo("apiKey: size must be between 8 and 4096"));
        admin().contentType(ContentType.JSON).body("{\"apiKey\":\"" + "k".repeat(4097) + "\"}")
                .when().put(keys + "/openai")
                .then().statusCode(400)
                .body("detail", equalTo("apiKey: size must be between 8 and 4096"));
        admin().contentType(ContentType.JSON).body("{\"apiKey\":\"sk-line-1\\r\\nX-Injected: 1\"}")
                .when().put(keys + "/openai")
                .then().statusCode(400)
                .body("detail", equalTo("apiKey: must be printable ASCII without spaces"))
                .body(not(containsString("sk-line")));
        admin().contentType(ContentType.JSON)
                .when().put(keys + "/openai")
                .then().statusCode(400)
                .body("detail", equalTo("body: a JSON body with apiKey is required"));
        admin().when().get(keys).then().statusCode(200).body("$", empty());
    }

    @Test
    void unknownPathIs404Problem() {
        admin().when().get("/admin/v1/tenants/" + tenant + "/nothing-here")
                .then().statusCode(404).contentType("application/problem+json")
                .body("type", equalTo("about:blank"))
                .body("title", equalTo("Not Found"))
                .body("status", equalTo(404))
                .body("detail", equalTo("No resource at this path"));
    }

    @Test
    void unsupportedMethodIs405Problem() {
        admin().contentType(ContentType.JSON).body("{\"apiKey\":\"sk-posted-key-1\"}")
                .when().post(keys + "/openai")
                .then().statusCode(405).contentType("application/problem+json")
                .body("title", equalTo("Method Not Allowed"))
                .body("detail", equalTo("This resource does not support the method"));
    }
}
