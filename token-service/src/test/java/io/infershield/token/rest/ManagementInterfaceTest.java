package io.infershield.token.rest;

import io.infershield.testkit.quarkus.PostgresResource;
import io.infershield.testkit.quarkus.KafkaResource;
import io.infershield.token.support.UpstreamResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import org.junit.jupiter.api.Test;

import java.net.URL;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

@QuarkusTest
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = UpstreamResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class ManagementInterfaceTest {

    // relative to the management root path, /q
    @TestHTTPResource(value = "health/ready", management = true)
    URL ready;

    @TestHTTPResource(value = "metrics", management = true)
    URL metrics;

    @Test
    void readinessIsServedOnTheManagementPortWithTheDatabaseUp() {
        given().when().get(ready)
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.status", hasItem("UP"));
    }

    @Test
    void healthIsNotServedOnTheApplicationPort() {
        given().when().get("/q/health/ready")
                .then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void prometheusMetricsAreServedOnTheManagementPort() {
        given().when().get(metrics).then().statusCode(200);
    }
}
