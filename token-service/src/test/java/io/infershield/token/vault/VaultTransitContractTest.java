package io.infershield.token.vault;

import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import io.infershield.testkit.infra.Kafka;
import io.infershield.testkit.quarkus.InjectInfra;
import io.infershield.testkit.quarkus.KafkaResource;
import io.infershield.testkit.quarkus.PostgresResource;
import io.infershield.token.messaging.OutboxRelay;
import io.infershield.token.service.KeyRotation;
import io.infershield.token.support.TokenEventLog;
import io.infershield.token.support.Tokens;
import io.infershield.token.support.UpstreamResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.moreThanOrExactly;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.infershield.token.support.Calls.credential;
import static io.infershield.token.support.Calls.link;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Vault Transit as the token vault, against Vault's documented HTTP API: served by WireMock, or a real Vault when
 * {@code VAULT_ADDR} and {@code VAULT_TOKEN} are set (see README.md). Only fault injection (sealed, policy denied) needs
 * the stub and is skipped against a real Vault.
 */
@QuarkusTest
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = UpstreamResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = VaultResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class VaultTransitContractTest {

    @InjectInfra
    VaultContract vault;

    @InjectInfra
    PostgresResource.Database db;

    @InjectInfra
    Kafka kafka;

    @Inject
    OutboxRelay relay;

    @Inject
    KeyRotation rotation;

    private final String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
    private final String alice = "alice-" + UUID.randomUUID().toString().substring(0, 8);

    private String ciphertext(String user) throws Exception {
        try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement(
                "select access_ciphertext || ' ' || key_version from provider_link where tenant = ? and subject = ?")) {
            s.setString(1, tenant);
            s.setString(2, user);
            ResultSet rs = s.executeQuery();
            assertTrue(rs.next());
            return rs.getString(1);
        }
    }

    private static String context(String tenant, String user, String provider) {
        return Base64.getEncoder().encodeToString(
                LocalKeyring.encode("infershield-token", tenant, user, provider));
    }

    @Test
    void tokensAreEncryptedAndDecryptedByTransitUnderAContextPerUser() throws Exception {
        String token = "corp-" + UUID.randomUUID();
        link(tenant, alice, "corp", "{\"accessToken\":\"" + token + "\"}");

        String stored = ciphertext(alice);
        assertTrue(stored.matches("vault:v[0-9]+:\\S+ vault:v[0-9]+"), stored);
        assertTrue(!stored.contains(token));
        credential(tenant, alice, "corp").then().statusCode(200).body("token", is(token));

        if (vault.stubbed()) {
            String b64 = Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8));
            vault.wireMock().verify(1, postRequestedFor(urlEqualTo("/v1/transit/encrypt/" + vault.key()))
                    .withHeader("X-Vault-Token", equalTo(VaultContract.LOGIN_TOKEN))
                    .withRequestBody(matchingJsonPath("$.batch_input[0].plaintext", equalTo(b64)))
                    .withRequestBody(matchingJsonPath("$.batch_input[0].context", equalTo(context(tenant, alice, "corp")))));
            vault.wireMock().verify(postRequestedFor(urlEqualTo("/v1/transit/decrypt/" + vault.key()))
                    .withRequestBody(matchingJsonPath("$.batch_input[0].ciphertext", equalTo(stored.split(" ")[0])))
                    .withRequestBody(matchingJsonPath("$.batch_input[0].context", equalTo(context(tenant, alice, "corp")))));
            vault.wireMock().verify(moreThanOrExactly(1), postRequestedFor(urlEqualTo("/v1/auth/kubernetes/login")));
            assertEquals(List.of(), vault.wireMock().findAllUnmatchedRequests(), "every request fits the contract");
        }
    }

    @Test
    void anotherUsersCiphertextDoesNotDecryptUnderThisUsersContext() throws Exception {
        String token = "corp-" + UUID.randomUUID();
        link(tenant, alice, "corp", "{\"accessToken\":\"" + token + "\"}");
        link(tenant, "bob", "corp", "{\"accessToken\":\"corp-bob-" + UUID.randomUUID() + "\"}");
        try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement("update provider_link set "
                + "access_ciphertext = (select access_ciphertext from provider_link where tenant = ? and subject = ?) "
                + "where tenant = ? and subject = 'bob'")) {
            s.setString(1, tenant);
            s.setString(2, alice);
            s.setString(3, tenant);
            assertEquals(1, s.executeUpdate());
        }

        // Vault answers 400 {"errors":[…]}: the ciphertext does not authenticate under bob's context
        credential(tenant, "bob", "corp")
                .then().statusCode(500).contentType("application/problem+json")
                .body("type", is("urn:infershield:problem:credential-undecryptable"));
        List<String> events = TokenEventLog.about(relay, kafka, tenant).stream().map(TokenEventLog::summary).toList();
        assertEquals("token.read tampered " + Tokens.PROXY_SERVICE + " bob corp user-token proxy-request "
                + "ciphertext_rejected", events.get(events.size() - 1));
    }

    @Test
    void rotatedKeyIsRewrappedAndOldRowsStayReadable() throws Throwable {
        String token = "corp-" + UUID.randomUUID();
        link(tenant, alice, "corp", "{\"accessToken\":\"" + token + "\"}");
        String before = ciphertext(alice);

        vault.rotateKey();
        credential(tenant, alice, "corp").then().statusCode(200).body("token", is(token));
        VertxContextSupport.subscribeAndAwait(rotation::rotate);

        String after = ciphertext(alice);
        assertNotEquals(before.split(" ")[1], after.split(" ")[1], "the row moved to the new key version");
        assertTrue(after.startsWith(after.split(" ")[1] + ":"), after);
        credential(tenant, alice, "corp").then().statusCode(200).body("token", is(token));
        if (vault.stubbed()) {
            vault.wireMock().verify(postRequestedFor(urlEqualTo("/v1/transit/rewrap/" + vault.key()))
                    .withRequestBody(matchingJsonPath("$.batch_input[0].ciphertext", equalTo(before.split(" ")[0])))
                    .withRequestBody(matchingJsonPath("$.batch_input[0].context", equalTo(context(tenant, alice, "corp")))));
        }
        List<String> events = TokenEventLog.about(relay, kafka, tenant).stream().map(TokenEventLog::summary).toList();
        assertTrue(events.contains("token.rotated success key-rotation " + alice + " corp user-token rotation -"),
                events.toString());
    }

    @Test
    void sealedVaultIs503VaultUnavailable() throws Exception {
        assumeTrue(vault.stubbed(), "sealing needs the stub");
        link(tenant, alice, "corp", "{\"accessToken\":\"corp-" + UUID.randomUUID() + "\"}");
        StubMapping sealed = vault.wireMock().stubFor(any(urlPathMatching("/v1/.*")).atPriority(1)
                .willReturn(aResponse().withStatus(503).withHeader("Content-Type", "application/json")
                        .withBody("{\"errors\":[\"Vault is sealed\"]}")));
        try {
            credential(tenant, alice, "corp")
                    .then().statusCode(503).contentType("application/problem+json")
                    .body("type", is("urn:infershield:problem:vault-unavailable"))
                    .body("title", is("Service Unavailable"))
                    .body("detail", is("The token vault is unavailable; try again later"));
            given().auth().oauth2(Tokens.custodian()).contentType(ContentType.JSON)
                    .body("{\"accessToken\":\"corp-" + UUID.randomUUID() + "\"}")
                    .when().put("/internal/v1/tenants/" + tenant + "/users/carol/links/corp")
                    .then().statusCode(503).body("type", is("urn:infershield:problem:vault-unavailable"));
            given().auth().oauth2(Tokens.withRealmRoles("ada", "admin")).contentType(ContentType.JSON)
                    .body("{\"apiKey\":\"sk-org-" + UUID.randomUUID() + "\"}")
                    .when().put("/admin/v1/tenants/" + tenant + "/org-keys/openai")
                    .then().statusCode(503).body("type", is("urn:infershield:problem:vault-unavailable"));
        } finally {
            vault.wireMock().removeStub(sealed);
        }
        credential(tenant, alice, "corp").then().statusCode(200);

        List<String> events = TokenEventLog.about(relay, kafka, tenant).stream().map(TokenEventLog::summary).toList();
        assertTrue(events.contains("token.read failed " + Tokens.PROXY_SERVICE + " " + alice
                + " corp user-token proxy-request vault_sealed"), events.toString());
        assertTrue(events.contains("token.stored failed " + Tokens.AUTH_SERVICE + " carol corp user-token link "
                + "vault_sealed"), events.toString());
    }

    @Test
    void policyDenialIs503VaultUnavailable() {
        assumeTrue(vault.stubbed(), "denying needs the stub");
        link(tenant, alice, "corp", "{\"accessToken\":\"corp-" + UUID.randomUUID() + "\"}");
        StubMapping denied = vault.wireMock().stubFor(any(urlPathMatching("/v1/transit/decrypt/.*")).atPriority(1)
                .willReturn(aResponse().withStatus(403).withHeader("Content-Type", "application/json")
                        .withBody("{\"errors\":[\"1 error occurred:\\n\\t* permission denied\\n\\n\"]}")));
        try {
            credential(tenant, alice, "corp")
                    .then().statusCode(503).body("type", is("urn:infershield:problem:vault-unavailable"));
        } finally {
            vault.wireMock().removeStub(denied);
        }
        List<String> events = TokenEventLog.about(relay, kafka, tenant).stream().map(TokenEventLog::summary).toList();
        assertEquals("token.read failed " + Tokens.PROXY_SERVICE + " " + alice
                + " corp user-token proxy-request vault_permission_denied", events.get(events.size() - 1));
    }
}
