package io.infershield.proxy;

import com.github.tomakehurst.wiremock.WireMockServer;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Tool pinning through the admin API: an administrator approves tools and sets the mode without a restart, the gateway
 * applies it at once, and every change is audited as {@code proxy.tool_pinning.changed}.
 */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = UpstreamsResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class ToolPinningAdminTest {

    private static final String ADD = "{\"name\":\"add\",\"description\":\"Adds two numbers.\",\"input_schema\":{\"type\":"
            + "\"object\",\"properties\":{\"b\":{\"type\":\"number\"},\"a\":{\"type\":\"number\"}}}}";
    private static final String ADD_ENTRY = "add@sha256:0c3b93078fe7006f1aa63b2f9acde4f65111297c01fb3fa5bf05737ad9327bae";
    private static final String READ = "{\"name\":\"read_file\",\"description\":\"Reads a file of the workspace.\","
            + "\"input_schema\":{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\"}}}}";

    @InjectInfra
    Kafka kafka;
    @InjectInfra
    WireMockServer services;

    private final String tenant = "pin-" + UUID.randomUUID().toString().substring(0, 8);
    private final String tools = "/admin/v1/tenants/" + tenant + "/tools";
    private final String dev = "isk_dev-" + tenant;

    @BeforeEach
    void introspection() {
        services.stubFor(post(urlEqualTo("/oauth/introspect")).withRequestBody(containing("token=" + dev))
                .willReturn(okJson("{\"active\":true,\"sub\":\"dev\",\"tenant\":\"" + tenant + "\",\"groups\":[]}")));
    }

    private static RequestSpecification admin() {
        return given().auth().oauth2(TestSupport.keycloakToken("ada", "admin"));
    }

    private List<Object> approvedByScan() {
        return given().auth().oauth2(dev).contentType(ContentType.JSON).body("{\"tools\":[" + ADD + "," + READ + "]}")
                .when().post("/v1/security/scan")
                .then().statusCode(200).extract().jsonPath().getList("tools.approved");
    }

    private String awaitChange(String body) throws Exception {
        return TestSupport.awaitEvent(kafka, e -> "proxy.tool_pinning.changed".equals(e.get("type").asText())
                && tenant.equals(e.get("tenant").asText()) && e.get("body").toString().equals(body));
    }

    @Test
    void anAdministratorPinsToolsWithoutARestartAndEveryChangeIsAudited() throws Exception {
        admin().when().get(tools)
                .then().statusCode(200)
                .body("tenant", equalTo(tenant)).body("mode", nullValue()).body("modeSource", nullValue())
                .body("approved", hasSize(0));
        assertEquals(Arrays.asList(null, null), approvedByScan(), "no list: any tool is offered");

        admin().contentType(ContentType.JSON).body("{\"mode\":\"enforce\"}").when().put(tools + "/mode")
                .then().statusCode(200)
                .body("tenant", equalTo(tenant)).body("mode", equalTo("enforce")).body("updatedBy", equalTo("ada"))
                .body("updatedAt", matchesPattern("\\d{4}-\\d{2}-\\d{2}T.*Z"));
        var modeSet = TestSupport.awaitRecord(kafka, e -> "proxy.tool_pinning.changed".equals(e.get("type").asText())
                && tenant.equals(e.get("tenant").asText()) && e.get("body").toString()
                        .equals("{\"entry\":null,\"approved\":null,\"mode\":\"enforce\",\"previousMode\":null}"));
        assertEquals("ada", TestSupport.json(modeSet.value()).get("subject").asText());
        assertEquals(tenant + "/ada", modeSet.key(), "records are keyed by tenant and subject");
        assertEquals(List.of(false, false), approvedByScan(), "an empty list in force approves nothing");
        given().header("x-api-key", dev).header("anthropic-version", "2023-06-01").contentType(ContentType.JSON)
                .body("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":16,\"tools\":[" + ADD + "],"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"2+2?\"}]}")
                .when().post("/v1/messages")
                .then().statusCode(403)
                .body("type", equalTo("error"))
                .body("error.type", equalTo("permission_error"))
                .body("error.message", equalTo("This request offers the model the tool 'add' (" + ADD_ENTRY.substring(4)
                        + "), which your organisation has not approved. Disable the MCP server or extension that "
                        + "provides it, or ask your security team to approve it."));

        admin().when().put(tools + "/approved/" + ADD_ENTRY)
                .then().statusCode(200)
                .body("entry", equalTo(ADD_ENTRY)).body("source", equalTo("api")).body("approvedBy", equalTo("ada"));
        awaitChange("{\"entry\":\"" + ADD_ENTRY + "\",\"approved\":true,\"mode\":null,\"previousMode\":null}");
        admin().when().put(tools + "/approved/read_file").then().statusCode(200);
        admin().when().put(tools + "/approved/read_file").then().statusCode(200).body("entry", equalTo("read_file"));
        assertEquals(List.of(true, true), approvedByScan());
        admin().when().get(tools)
                .then().statusCode(200)
                .body("mode", equalTo("enforce")).body("modeSource", equalTo("api"))
                .body("approved.entry", equalTo(List.of(ADD_ENTRY, "read_file")))
                .body("approved.source", equalTo(List.of("api", "api")));

        admin().when().delete(tools + "/approved/read_file").then().statusCode(204);
        awaitChange("{\"entry\":\"read_file\",\"approved\":false,\"mode\":null,\"previousMode\":null}");
        assertEquals(List.of(true, false), approvedByScan());
        admin().when().delete(tools + "/approved/read_file")
                .then().statusCode(404).contentType("application/problem+json")
                .body("detail", equalTo("Tenant '" + tenant + "' has no approval of 'read_file'"));

        admin().contentType(ContentType.JSON).body("{\"mode\":\"audit\"}").when().put(tools + "/mode")
                .then().statusCode(200).body("mode", equalTo("audit"));
        awaitChange("{\"entry\":null,\"approved\":null,\"mode\":\"audit\",\"previousMode\":\"enforce\"}");
        admin().when().delete(tools + "/mode").then().statusCode(204);
        awaitChange("{\"entry\":null,\"approved\":null,\"mode\":null,\"previousMode\":\"audit\"}");
        assertEquals(Arrays.asList(null, null), approvedByScan(), "approvals stay stored but no list is in force");
        admin().when().delete(tools + "/mode")
                .then().statusCode(404)
                .body("detail", equalTo("Tenant '" + tenant + "' has no tool-pinning mode set through this API"));
    }

    @Test
    void configuredPinningIsShownAndTheApiCannotWithdrawIt() {
        // the test profile pins tenant "pinned" to read_file and one exact definition of add, in enforce mode
        admin().when().get("/admin/v1/tenants/pinned/tools")
                .then().statusCode(200)
                .body("mode", equalTo("enforce")).body("modeSource", equalTo("configuration"))
                .body("approved.entry", equalTo(List.of(ADD_ENTRY, "read_file")))
                .body("approved.source", equalTo(List.of("configuration", "configuration")))
                .body("approved.approvedBy", equalTo(Arrays.asList(null, null)));
        admin().when().delete("/admin/v1/tenants/pinned/tools/approved/read_file")
                .then().statusCode(409).contentType("application/problem+json")
                .body("status", equalTo(409))
                .body("detail", equalTo("'read_file' is approved for tenant 'pinned' by proxy.security.tool-pinning in "
                        + "configuration, which the API cannot change"));
    }

    @Test
    void badEntriesModesAndCallersGetPreciseErrors() {
        admin().when().put(tools + "/approved/add@sha256:ABC")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", equalTo("entry: must be a tool name or name@sha256:<64 lower-case hex digits>"));
        for (String body : List.of("{\"mode\":\"block\"}", "{}", "[\"enforce\"]", "{\"mode\":1}")) {
            admin().contentType(ContentType.JSON).body(body).when().put(tools + "/mode")
                    .then().statusCode(400).body("detail", equalTo("mode: must be one of enforce, audit"));
        }
        admin().contentType(ContentType.JSON).body("{\"mode\":").when().put(tools + "/mode")
                .then().statusCode(400).body("detail", equalTo("The request body is not the JSON this endpoint takes"));
        given().auth().oauth2(TestSupport.keycloakToken("dev", "user")).when().put(tools + "/approved/read_file")
                .then().statusCode(403).contentType("application/problem+json");
        given().when().get(tools).then().statusCode(401);
        admin().when().get("/admin/v1/tenants/bad tenant!/tools").then().statusCode(400);
    }
}
