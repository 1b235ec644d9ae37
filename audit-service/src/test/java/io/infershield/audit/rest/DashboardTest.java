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
import io.restassured.response.Response;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static io.infershield.audit.TestEvents.awaitEvents;
import static io.infershield.audit.TestEvents.token;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class DashboardTest {

    private static final String HOSTILE = "<script>alert(\"x\")</script>";

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

    /** The whole browser round trip against the OIDC mock: redirect, provider login, callback, session cookie. */
    @Test
    void signedInBrowserSeesTheLatestEventsEscaped() {
        EventEnvelope<JsonNode> event = new EventEnvelope<>(UUID.randomUUID(), "proxy.request.completed", 1,
                Instant.now().truncatedTo(ChronoUnit.MILLIS), "acme&co", HOSTILE,
                JsonNodeFactory.instance.objectNode().put("status", 502).put("requestId", "r-1"));
        events.send(Topics.PROXY_EVENTS, event);
        awaitEvents(Map.of("subject", HOSTILE), p -> p.getList("$").size() == 1);

        Map<String, String> session = signIn();
        String escapedRow = "<tr><td><time datetime=\"" + event.occurredAt() + "\">" + event.occurredAt()
                + "</time></td><td>proxy.request.completed</td>"
                + "<td><a href=\"/reports/users/%3Cscript%3Ealert%28%22x%22%29%3C%2Fscript%3E?tenant=acme%26co\">"
                + "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</a></td><td>acme&amp;co</td><td>502</td></tr>";
        given().cookies(session).redirects().follow(false)
                .when().get("/")
                .then().statusCode(200).contentType("text/html")
                .header("Content-Security-Policy", startsWith("default-src 'none'; style-src 'self'"))
                .header("Cache-Control", is("no-store"))
                .body(containsString("Signed in as alice"))
                .body(containsString(escapedRow))
                .body(not(containsString("<script>")));
    }

    @Test
    void sreMayViewTheDashboard() {
        given().auth().oauth2(token("sam", "sre"))
                .when().get("/")
                .then().statusCode(200).contentType("text/html")
                .body(containsString("<h2>Latest events</h2>"))
                .body(containsString("Signed in as sam"));
    }

    @Test
    void developerMayNotViewTheDashboard() {
        given().auth().oauth2(token("dave", "developer"))
                .when().get("/")
                .then().statusCode(403).contentType("application/problem+json")
                .body("status", is(403));
    }

    @Test
    void anonymousBrowserIsRedirectedToSignIn() {
        String provider = ConfigProvider.getConfig().getValue("keycloak.url", String.class) + "/realms/quarkus";
        given().redirects().follow(false).accept("text/html")
                .when().get("/")
                .then().statusCode(302)
                .header("Location", startsWith(provider + "?"));
    }

    @Test
    void stylesheetIsServedWithoutSignIn() {
        given().redirects().follow(false)
                .when().get("/dashboard.css")
                .then().statusCode(200).contentType("text/css");
    }

    /** Runs the authorization code flow and returns the session cookies. The mock signs in alice (roles user, admin). */
    static Map<String, String> signIn() {
        Response challenge = given().redirects().follow(false).when().get("/");
        assertEquals(302, challenge.statusCode());
        URI authorize = URI.create(challenge.header("Location"));
        Map<String, String> query = queryOf(authorize);

        // The mock's login form submits to /login, which redirects back with a code, as Keycloak does after sign-in.
        Response login = given().redirects().follow(false).baseUri(authorize.getScheme() + "://" + authorize.getAuthority())
                .queryParam("state", query.get("state")).queryParam("redirect_uri", query.get("redirect_uri"))
                .when().get("/login");
        assertEquals(302, login.statusCode());

        Response callback = given().redirects().follow(false).urlEncodingEnabled(false).cookies(challenge.getCookies())
                .when().get(login.header("Location"));
        assertEquals(302, callback.statusCode(), callback.asString());
        Map<String, String> cookies = new HashMap<>(callback.getCookies());
        cookies.values().removeIf(String::isEmpty);
        return cookies;
    }

    private static Map<String, String> queryOf(URI uri) {
        Map<String, String> params = new HashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return params;
    }
}
