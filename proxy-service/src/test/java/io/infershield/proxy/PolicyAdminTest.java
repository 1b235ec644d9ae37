package io.infershield.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import io.infershield.testkit.infra.Kafka;
import io.infershield.testkit.quarkus.InjectInfra;
import io.infershield.testkit.quarkus.KafkaResource;
import io.infershield.testkit.quarkus.PostgresResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The policy admin API: Keycloak admins set, read and remove rules per tenant and group; every change is audited. */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = UpstreamsResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class PolicyAdminTest {

    private static final String ISO_INSTANT = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z";

    @InjectInfra
    Kafka kafka;
    @InjectInfra
    PostgresResource.Database db;

    private final String tenant = "adm-" + UUID.randomUUID().toString().substring(0, 8);
    private final String policies = "/admin/v1/tenants/" + tenant + "/policies";

    private static RequestSpecification admin() {
        return given().auth().oauth2(TestSupport.keycloakToken("ada", "admin"));
    }

    private String awaitChange(String group, String category, String action) throws Exception {
        return TestSupport.awaitEvent(kafka, e -> "proxy.policy.changed".equals(e.get("type").asText())
                && tenant.equals(e.get("tenant").asText()) && group.equals(e.at("/body/group").asText())
                && category.equals(e.at("/body/category").asText())
                && (action == null ? e.at("/body/action").isNull() : action.equals(e.at("/body/action").asText())));
    }

    @Test
    void aNewTenantSeesTheBuiltInDefaultAndNoRules() {
        admin().when().get(policies)
                .then().statusCode(200).contentType(ContentType.JSON)
                .body("tenant", equalTo(tenant))
                .body("default", equalTo(Map.of(
                        "prompt_injection", Map.of("threshold", 70, "action", "block"),
                        "secret", Map.of("threshold", 60, "action", "redact"),
                        "pii", Map.of("threshold", 60, "action", "redact"),
                        "exfiltration", Map.of("threshold", 60, "action", "block"))))
                .body("rules", hasSize(0));
    }

    @Test
    void rulesAreSetChangedAndRemovedAndEveryChangeIsAudited() throws Exception {
        admin().contentType(ContentType.JSON).body("{\"threshold\":70,\"action\":\"block\"}")
                .when().put(policies + "/*/secret")
                .then().statusCode(200)
                .body("group", equalTo("*")).body("category", equalTo("secret"))
                .body("threshold", equalTo(70)).body("action", equalTo("block"))
                .body("updatedBy", equalTo("ada")).body("updatedAt", matchesPattern(ISO_INSTANT));
        JsonNode created = TestSupport.json(awaitChange("*", "secret", "block"));
        assertEquals("ada", created.get("subject").asText(), "the subject is the administrator");
        assertEquals(1, created.get("version").asInt());
        assertEquals(TestSupport.json("""
                {"group":"*","category":"secret","threshold":70,"action":"block","previousThreshold":null,\
                "previousAction":null}"""), created.get("body"));

        admin().contentType(ContentType.JSON).body("{\"threshold\":40,\"action\":\"alert\"}")
                .when().put(policies + "/*/secret")
                .then().statusCode(200).body("threshold", equalTo(40)).body("action", equalTo("alert"));
        assertEquals(TestSupport.json("""
                {"group":"*","category":"secret","threshold":40,"action":"alert","previousThreshold":70,\
                "previousAction":"block"}"""), TestSupport.json(awaitChange("*", "secret", "alert")).get("body"));

        admin().contentType(ContentType.JSON).body("{\"threshold\":0,\"action\":\"allow\"}")
                .when().put(policies + "/qa-team/pii")
                .then().statusCode(200);
        admin().when().get(policies)
                .then().statusCode(200)
                .body("default.secret", equalTo(Map.of("threshold", 40, "action", "alert")))
                .body("default.pii", equalTo(Map.of("threshold", 60, "action", "redact")))
                .body("rules", hasSize(2))
                .body("rules[0].group", equalTo("*")).body("rules[0].category", equalTo("secret"))
                .body("rules[1].group", equalTo("qa-team")).body("rules[1].category", equalTo("pii"))
                .body("rules[1].threshold", equalTo(0)).body("rules[1].action", equalTo("allow"));

        admin().when().delete(policies + "/*/secret").then().statusCode(204);
        assertEquals(TestSupport.json("""
                {"group":"*","category":"secret","threshold":null,"action":null,"previousThreshold":40,\
                "previousAction":"alert"}"""), TestSupport.json(awaitChange("*", "secret", null)).get("body"));
        admin().when().get(policies)
                .then().statusCode(200)
                .body("default.secret", equalTo(Map.of("threshold", 60, "action", "redact")))
                .body("rules", hasSize(1));

        admin().when().delete(policies + "/*/secret")
                .then().statusCode(404).contentType("application/problem+json")
                .body("status", equalTo(404)).body("title", equalTo("Not Found"))
                .body("detail", equalTo("Group '*' of tenant '" + tenant + "' has no rule of its own for secret"));
    }

    @Test
    void rulesAreStoredInThePolicyTable() throws Exception {
        admin().contentType(ContentType.JSON).body("{\"threshold\":55,\"action\":\"redact\"}")
                .when().put(policies + "/ops/exfiltration")
                .then().statusCode(200);
        try (Connection c = db.connect(); ResultSet rs = c.createStatement().executeQuery(
                "select group_name, category, threshold, action, updated_by from policy_rule where tenant = '" + tenant + "'")) {
            rs.next();
            assertEquals("ops", rs.getString(1));
            assertEquals("exfiltration", rs.getString(2));
            assertEquals(55, rs.getInt(3));
            assertEquals("redact", rs.getString(4));
            assertEquals("ada", rs.getString(5));
            assertFalse(rs.next());
        }
    }

    @Test
    void onlyAdministratorsMayReadOrChangePolicies() {
        given().when().get(policies)
                .then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", equalTo("Bearer realm=\"infershield-proxy\""))
                .body("detail", equalTo("A valid bearer token is required"));
        given().auth().oauth2("not-a-jwt").when().get(policies)
                .then().statusCode(401).contentType("application/problem+json");
        given().auth().oauth2(TestSupport.keycloakToken("dev", "user")).contentType(ContentType.JSON)
                .body("{\"threshold\":0,\"action\":\"allow\"}")
                .when().put(policies + "/*/secret")
                .then().statusCode(403).contentType("application/problem+json")
                .body("status", equalTo(403))
                .body("detail", equalTo("The token lacks the role this endpoint requires"));
        given().auth().oauth2(TestSupport.keycloakToken("dev", "user")).when().get(policies)
                .then().statusCode(403);
        // An isk_ gateway credential is not an admin token either.
        given().auth().oauth2("isk_someone").when().get(policies).then().statusCode(401);
    }

    @Test
    void invalidRulesAreRefusedWithProblems() {
        Map<String, String> bodies = Map.of(
                "{\"threshold\":101,\"action\":\"block\"}", "threshold: must be an integer from 0 to 100",
                "{\"threshold\":-1,\"action\":\"block\"}", "threshold: must be an integer from 0 to 100",
                "{\"threshold\":50.5,\"action\":\"block\"}", "threshold: must be an integer from 0 to 100",
                "{\"threshold\":\"50\",\"action\":\"block\"}", "threshold: must be an integer from 0 to 100",
                "{\"threshold\":50,\"action\":\"deny\"}", "action: must be one of allow, alert, redact, block",
                "{\"threshold\":50}", "action: must be one of allow, alert, redact, block",
                "[1]", "A JSON object with threshold and action is required");
        bodies.forEach((body, detail) -> admin().contentType(ContentType.JSON).body(body)
                .when().put(policies + "/*/secret")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("about:blank")).body("title", equalTo("Bad Request"))
                .body("status", equalTo(400)).body("detail", equalTo(detail)));

        admin().contentType(ContentType.JSON).body("{\"threshold\":50,\"action\":\"block\"}")
                .when().put(policies + "/*/malware")
                .then().statusCode(400)
                .body("detail", equalTo("category: must be one of prompt_injection, secret, pii, exfiltration"));
        admin().contentType(ContentType.JSON).body("{\"threshold\":50,")
                .when().put(policies + "/*/secret")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", equalTo("The request body is not the JSON this endpoint takes"));
        admin().contentType(ContentType.TEXT).body("threshold=50")
                .when().put(policies + "/*/secret")
                .then().statusCode(415).contentType("application/problem+json")
                .body("detail", equalTo("The request body must be application/json"));
        admin().when().get("/admin/v1/tenants/" + tenant + "/nothing")
                .then().statusCode(404);
    }
    @Test
    void concurrentFirstWritesOfOneRuleAllSucceedAndLeaveOneRow() throws Exception {
        String token = TestSupport.keycloakToken("ada", "admin");
        int writers = 8;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(writers);
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        try {
            java.util.List<java.util.concurrent.Future<Integer>> statuses = new java.util.ArrayList<>();
            for (int i = 0; i < writers; i++) {
                int threshold = 50 + i;
                statuses.add(pool.submit(() -> {
                    start.await();
                    return given().auth().oauth2(token).contentType(ContentType.JSON)
                            .body("{\"threshold\":" + threshold + ",\"action\":\"alert\"}")
                            .when().put(policies + "/race/pii").then().extract().statusCode();
                }));
            }
            start.countDown();
            for (java.util.concurrent.Future<Integer> status : statuses) {
                assertEquals(200, status.get(30, java.util.concurrent.TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        admin().when().get(policies)
                .then().statusCode(200)
                .body("rules", hasSize(1))
                .body("rules[0].group", equalTo("race")).body("rules[0].category", equalTo("pii"));
    }
}
