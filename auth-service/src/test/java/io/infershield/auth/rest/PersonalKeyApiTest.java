package io.infershield.auth.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.infershield.auth.messaging.OutboxRelay;
import io.infershield.auth.service.DeviceFlowService;
import io.infershield.auth.service.Secrets;
import io.infershield.auth.support.AuthEventLog;
import io.infershield.auth.support.TestClock;
import io.infershield.testkit.infra.Kafka;
import io.infershield.testkit.quarkus.InjectInfra;
import io.infershield.testkit.quarkus.KafkaResource;
import io.infershield.testkit.quarkus.PostgresResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.infershield.auth.support.OAuthCalls.CLIENT;
import static io.infershield.auth.support.OAuthCalls.introspect;
import static io.infershield.auth.support.OAuthCalls.issueCredential;
import static io.infershield.auth.support.OAuthCalls.issueTokens;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The personal key API the CLI calls with its access credential, so that IDE settings outlive the credential. */
@QuarkusTest
// one application boot serves every test class that names the same resources
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class PersonalKeyApiTest {

    private static final String PATH = "/api/me/personal-keys";

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

    @Test
    void anAccessCredentialCreatesAKeyThatIntrospectsActiveForTheSameSubject() throws Throwable {
        String access = issueCredential(deviceFlow, "carol");

        Response created = create(access, "{\"name\": \"infershield ide cursor@laptop\", \"days\": 90}");
        created.then().statusCode(201)
                .header("Cache-Control", "no-store")
                .contentType(ContentType.JSON)
                .body("key", matchesPattern("isk_[A-Za-z0-9_-]{43}"))
                .body("name", equalTo("infershield ide cursor@laptop"));
        String key = created.path("key");
        Instant expiresAt = Instant.parse(created.path("expiresAt"));
        assertEquals(clock.instant().plus(Duration.ofDays(90)).getEpochSecond(), expiresAt.getEpochSecond());
        assertEquals(idOf(key).toString(), created.path("id"));

        introspect(key).then().statusCode(200)
                .body("active", equalTo(true))
                .body("sub", equalTo("carol"))
                .body("client_id", equalTo("personal-key"))
                .body("exp", equalTo((int) expiresAt.getEpochSecond()));

        AuthEventLog.relay(relay);
        List<JsonNode> events = AuthEventLog.values(kafka).stream().map(AuthEventLog::parse)
                .filter(event -> created.path("id").equals(event.at("/body/credentialId").asText())).toList();
        assertEquals(1, events.size());
        assertEquals("auth.credential.issued", events.get(0).get("type").asText());
        assertEquals("carol", events.get(0).get("subject").asText());
        assertEquals("personal_key", events.get(0).at("/body/credentialKind").asText());
    }

    @Test
    void onlyTheHashOfTheKeyIsStored() throws Throwable {
        String key = create(issueCredential(deviceFlow, "carol"), "{\"name\": \"stored\", \"days\": 1}")
                .then().statusCode(201).extract().path("key");
        String secretPart = key.substring(Secrets.CREDENTIAL_PREFIX.length());
        try (Connection c = db.connect()) {
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
    void withoutATokenTheAnswerIsABearerChallengeAndNoRedirect() {
        given().redirects().follow(false).contentType(ContentType.JSON).body("{\"name\": \"k\", \"days\": 1}")
                .when().post(PATH)
                .then().statusCode(401)
                .header("WWW-Authenticate", "Bearer realm=\"infershield\"")
                .body("error", equalTo("invalid_token"));
    }

    @Test
    void aRefreshTokenCannotCreateAKey() throws Throwable {
        String refresh = issueTokens(deviceFlow, "carol").path("refresh_token");
        assertInvalidToken(create(refresh, "{\"name\": \"k\", \"days\": 1}"));
    }

    @Test
    void aPersonalKeyCannotCreateItsSuccessor() throws Throwable {
        String key = create(issueCredential(deviceFlow, "carol"), "{\"name\": \"first\", \"days\": 1}")
                .then().statusCode(201).extract().path("key");
        assertInvalidToken(create(key, "{\"name\": \"second\", \"days\": 90}"));
    }

    @Test
    void aRevokedOrExpiredOrUnknownAccessCredentialCannotCreateAKey() throws Throwable {
        String revoked = issueCredential(deviceFlow, "carol");
        given().contentType(ContentType.URLENC).formParam("token", revoked).formParam("client_id", CLIENT)
                .when().post("/oauth/revoke").then().statusCode(200);
        assertInvalidToken(create(revoked, "{\"name\": \"k\", \"days\": 1}"));

        assertInvalidToken(create("isk_unknown", "{\"name\": \"k\", \"days\": 1}"));

        String expired = issueCredential(deviceFlow, "carol");
        clock.advance(Duration.ofHours(1).plusSeconds(1));
        assertInvalidToken(create(expired, "{\"name\": \"k\", \"days\": 1}"));
    }

    @Test
    void badLifetimesAndNamesAreProblems() throws Throwable {
        String access = issueCredential(deviceFlow, "carol");
        for (String body : List.of("{\"name\": \"k\", \"days\": 0}", "{\"name\": \"k\", \"days\": 91}",
                "{\"name\": \"k\", \"days\": 1.5}", "{\"name\": \"k\", \"days\": \"30\"}", "{\"name\": \"k\"}",
                "{\"name\": \"\", \"days\": 1}", "{\"days\": 1}")) {
            create(access, body).then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("status", equalTo(400))
                    .body("title", equalTo("Bad Request"));
        }
        create(access, "{\"name\": \"k\", \"days\": 91}").then()
                .body("detail", equalTo("A key can live from 1 to at most 90 days; 91 is not allowed."));
    }

    @Test
    void malformedJsonIsABadRequestAndAFormIsUnsupported() throws Throwable {
        String access = issueCredential(deviceFlow, "carol");
        create(access, "{\"name\": ").then().statusCode(400).contentType("application/problem+json");
        bearer(access).contentType(ContentType.URLENC).formParam("name", "k").formParam("days", "1")
                .when().post(PATH).then().statusCode(415).contentType("application/problem+json");
    }

    private static void assertInvalidToken(Response response) {
        response.then().statusCode(401)
                .header("WWW-Authenticate", "Bearer realm=\"infershield\", error=\"invalid_token\"")
                .body("error", equalTo("invalid_token"));
    }

    private static RequestSpecification bearer(String token) {
        return given().redirects().follow(false).header("Authorization", "Bearer " + token);
    }

    private static Response create(String token, String json) {
        return bearer(token).contentType(ContentType.JSON).body(json).when().post(PATH);
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
}
