package io.infershield.audit.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.infershield.audit.TestEvents;
import io.infershield.events.EventEnvelope;
import io.infershield.events.Topics;
import io.infershield.testkit.infra.Kafka;
import io.infershield.testkit.quarkus.InjectInfra;
import io.infershield.testkit.quarkus.KafkaResource;
import io.infershield.testkit.quarkus.PostgresResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.infershield.audit.TestEvents.awaitEvents;
import static io.infershield.audit.TestEvents.token;
import static io.infershield.audit.TestEvents.uniqueSubject;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class EventQueryApiTest {

    private static final Instant T1 = Instant.parse("2025-01-10T09:00:00Z");
    private static final Instant T2 = Instant.parse("2025-01-10T10:00:00Z");
    private static final Instant T3 = Instant.parse("2025-01-10T11:00:00Z");

    @InjectInfra
    Kafka kafka;

    private TestEvents events;

    @BeforeEach
    void connect() {
        events = new TestEvents(kafka);
    }

    @AfterEach
    void disconnect() {
        events.close();
    }

    @Test
    void filtersBySubjectTypeTenantAndTimeRangeNewestFirst() {
        String subject = uniqueSubject();
        String tenant = "tenant-" + UUID.randomUUID();
        EventEnvelope<JsonNode> e1 = event("auth.device.approved", tenant, subject, T1);
        EventEnvelope<JsonNode> e2 = event("auth.device.denied", tenant, subject, T2);
        EventEnvelope<JsonNode> e3 = event("auth.device.approved", tenant, subject, T3);
        EventEnvelope<JsonNode> otherSubject = event("auth.device.approved", tenant, uniqueSubject(), T2.plusSeconds(30));
        // Published out of time order: the listing sorts by occurredAt, not by arrival.
        List.of(e2, e3, e1, otherSubject).forEach(e -> events.send(Topics.AUTH_EVENTS, e));
        awaitEvents(Map.of("tenant", tenant), p -> p.getList("$").size() == 4);

        assertEquals(ids(e3, e2, e1), listIds(Map.of("subject", subject)));
        assertEquals(ids(e3, e1), listIds(Map.of("subject", subject, "type", "auth.device.approved")));
        assertEquals(ids(e3, otherSubject, e2, e1), listIds(Map.of("tenant", tenant)));
        assertEquals(ids(e2), listIds(Map.of("subject", subject, "from", T2.toString(), "to", T3.toString())),
                "from is inclusive and to exclusive");
        assertEquals(ids(e3, e2), listIds(Map.of("subject", subject, "from", T2.toString())));
        assertEquals(ids(e2, e1), listIds(Map.of("subject", subject, "to", T3.toString())));
        assertEquals(ids(e3, e2), listIds(Map.of("subject", subject, "limit", "2")));
        assertEquals(List.of(), listIds(Map.of("subject", subject, "type", "token.key.rotated")));
    }

    @Test
    void answersOneHundredEventsUnlessALimitIsGiven() {
        String tenant = "tenant-" + UUID.randomUUID();
        for (int i = 0; i < 101; i++) {
            events.send(Topics.PROXY_EVENTS, event("proxy.request.completed", tenant, null, T1.plusSeconds(i)));
        }
        awaitEvents(Map.of("tenant", tenant, "limit", "1000"), p -> p.getList("$").size() == 101);

        given().auth().oauth2(token("alice", "admin")).queryParam("tenant", tenant)
                .when().get("/api/events")
                .then().statusCode(200).contentType(ContentType.JSON)
                .body("size()", is(100))
                .body("[0].occurredAt", is(T1.plusSeconds(100).toString()))
                .body("[0].subject", is((Object) null));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "limit=0                                           | limit must be an integer from 1 to 1000.",
            "limit=1001                                        | limit must be an integer from 1 to 1000.",
            "limit=ten                                         | limit must be an integer from 1 to 1000.",
            "from=garbage                                      | from must be an ISO-8601 instant such as 2025-01-31T12:00:00Z.",
            "to=2025-13-01T00:00:00Z                           | to must be an ISO-8601 instant such as 2025-01-31T12:00:00Z.",
            "from=2025-02-01T00:00:00Z&to=2025-01-01T00:00:00Z | from must not be after to.",
            "to=%2B1000000000-01-01T00:00:00Z                  | to must be an ISO-8601 instant in the years 1 to 9999.",
            "from=-0001-01-01T00:00:00Z                        | from must be an ISO-8601 instant in the years 1 to 9999.",
            "subject=%00                                       | subject must be at most 256 characters without control characters.",
    })
    void invalidParametersAreRejectedWithProblemDetails(String query, String detail) {
        given().auth().oauth2(token("alice", "admin")).urlEncodingEnabled(false)
                .when().get("/api/events?" + query)
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", is("about:blank"))
                .body("title", is("Bad Request"))
                .body("status", is(400))
                .body("detail", is(detail));
    }

    @Test
    void limitOfOneThousandIsAccepted() {
        given().auth().oauth2(token("alice", "admin")).queryParam("limit", 1000).queryParam("subject", uniqueSubject())
                .when().get("/api/events")
                .then().statusCode(200).body("size()", is(0));
    }

    @Test
    void cisoMayReadEvents() {
        given().auth().oauth2(token("carol", "ciso")).queryParam("subject", uniqueSubject())
                .when().get("/api/events")
                .then().statusCode(200).contentType(ContentType.JSON).body("size()", is(0));
    }

    @ParameterizedTest
    @CsvSource({"developer", "sre", "user"})
    void otherRolesAreForbidden(String role) {
        given().auth().oauth2(token("dave", role))
                .when().get("/api/events")
                .then().statusCode(403).contentType("application/problem+json")
                .body("type", is("about:blank"))
                .body("title", is("Forbidden"))
                .body("status", is(403))
                .body("detail", is("Your roles do not allow this request."));
    }

    /**
     * In hybrid mode Quarkus OIDC treats every request without an Authorization header as a browser (the Accept header
     * plays no part), so an anonymous API call is sent to sign in rather than answered 401.
     */
    @Test
    void anonymousCallIsRedirectedToSignIn() {
        String provider = ConfigProvider.getConfig().getValue("keycloak.url", String.class) + "/realms/quarkus";
        given().redirects().follow(false).accept(ContentType.JSON)
                .when().get("/api/events")
                .then().statusCode(302)
                .header("Location", startsWith(provider + "?"))
                .header("Location", containsString("response_type=code"))
                .header("Location", containsString("client_id=quarkus-web-app"));
    }

    @Test
    void invalidBearerTokenIsUnauthorized() {
        given().auth().oauth2("not-a-token")
                .when().get("/api/events")
                .then().statusCode(401)
                .header("WWW-Authenticate", startsWith("Bearer"));
    }

    @Test
    void unknownPathIsNotFoundProblem() {
        given().auth().oauth2(token("alice", "admin"))
                .when().get("/api/nothing-here")
                .then().statusCode(404).contentType("application/problem+json")
                .body("title", is("Not Found"))
                .body("status", is(404));
    }

    @Test
    void writingEventsIsNotAllowed() {
        given().auth().oauth2(token("alice", "admin")).contentType(ContentType.JSON).body("{}")
                .when().post("/api/events")
                .then().statusCode(405).contentType("application/problem+json")
                .body("title", is("Method Not Allowed"))
                .body("status", is(405));
    }

    private static EventEnvelope<JsonNode> event(String type, String tenant, String subject, Instant occurredAt) {
        return new EventEnvelope<>(UUID.randomUUID(), type, 1, occurredAt, tenant, subject,
                JsonNodeFactory.instance.objectNode().put("n", occurredAt.getEpochSecond()));
    }

    private static List<String> ids(EventEnvelope<?>... events) {
        List<String> ids = new ArrayList<>();
        for (EventEnvelope<?> e : events) {
            ids.add(e.id().toString());
        }
        return ids;
    }

    private static List<String> listIds(Map<String, String> query) {
        return given().auth().oauth2(token("alice", "admin")).queryParams(query)
                .when().get("/api/events")
                .then().statusCode(200).extract().jsonPath().getList("id");
    }
}
