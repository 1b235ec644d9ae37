package io.infershield.audit.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.infershield.audit.TestEvents;
import io.infershield.events.EventEnvelope;
import io.infershield.events.Topics;
import io.infershield.testkit.infra.Kafka;
import io.infershield.testkit.quarkus.InjectInfra;
import io.infershield.testkit.quarkus.KafkaResource;
import io.infershield.testkit.quarkus.PostgresResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URL;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.infershield.audit.ReportEvents.auth;
import static io.infershield.audit.ReportEvents.event;
import static io.infershield.audit.ReportEvents.finding;
import static io.infershield.audit.ReportEvents.request;
import static io.infershield.audit.TestEvents.awaitEvents;
import static io.infershield.audit.TestEvents.token;
import static io.infershield.audit.rest.ReportApiTest.at;
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
class ReportPageTest {

    private static final String SCRIPT = "<script>alert(\"x\")</script>";

    @InjectInfra
    Kafka kafka;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

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
    void printableReportEscapesStoredTextAndLinksItsCsv() {
        String id = UUID.randomUUID().toString();
        String subject = "<img src=x onerror=alert(1)>" + id;
        String tenant = "acme&co-" + id;
        events.send(Topics.PROXY_EVENTS, event("proxy.request.completed", tenant, subject, at(1),
                request("/v1/chat/completions", "openai", "gpt-4o", 400, "blocked_by_policy", "block", null, null,
                        false, finding("exfiltration", "markdown_image", 92, "block", SCRIPT, "abcdef0123456789",
                                "/choices/0/message/content"))));
        awaitEvents(Map.of("subject", subject), p -> p.getList("$").size() == 1);
        double before = generatedHtml();

        String escapedSubject = "&lt;img src=x onerror=alert(1)&gt;" + id;
        String path = "/reports/users/%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E" + id;
        given().auth().oauth2(token("alice", "admin"))
                .queryParam("from", "2025-03-01").queryParam("to", "2025-03-31")
                .when().get("/reports/users/{subject}", subject)
                .then().statusCode(200).contentType("text/html")
                .header("Content-Security-Policy", startsWith("default-src 'none'; style-src 'self'"))
                .body(containsString("<title>Compliance report: " + escapedSubject + "</title>"))
                .body(containsString("<tr><th scope=\"row\">Tenants</th><td>acme&amp;co-" + id + "</td></tr>"))
                .body(containsString("<td><code>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</code></td>"))
                .body(containsString("<tr><th scope=\"row\">Risky requests</th><td>1 (1000.0 per 1,000)</td></tr>"))
                .body(containsString("<a href=\"/api" + path
                        + "?from=2025-03-01T00%3A00%3A00Z&amp;to=2025-04-01T00%3A00%3A00Z&amp;format=csv\">"
                        + "Download CSV</a>"))
                .body(not(containsString("<script>")))
                .body(not(containsString("<img")))
                .body(not(containsString("NOT_FOUND")));
        assertEquals(before + 1, generatedHtml());

        given().auth().oauth2(token("carol", "ciso"))
                .queryParam("from", "2025-03-01").queryParam("to", "2025-03-31").queryParam("tenant", tenant)
                .when().get("/reports/users")
                .then().statusCode(200).contentType("text/html")
                .body(containsString("<tr><td><a href=\"" + path
                        + "?from=2025-03-01T00%3A00%3A00Z&amp;to=2025-04-01T00%3A00%3A00Z&amp;tenant=acme%26co-" + id
                        + "\">" + escapedSubject + "</a></td><td>acme&amp;co-" + id + "</td><td>1</td><td>1</td>"
                        + "<td>1</td><td>1</td><td>1</td><td>1000.0</td>"))
                .body(not(containsString("<img")));
    }

    @Test
    void reportOfASubjectWithoutEventsSaysSo() {
        given().auth().oauth2(token("carol", "ciso"))
                .when().get("/reports/users/{subject}", "nobody-" + UUID.randomUUID())
                .then().statusCode(200).contentType("text/html")
                .body(containsString("<tr><th scope=\"row\">Tenants</th><td>none</td></tr>"))
                .body(containsString("<tr><th scope=\"row\">Blocked requests</th><td>0 (– per 1,000)</td></tr>"))
                .body(containsString("in this period.</p>"));
    }

    /** The dashboard's browser session opens the report pages and the CSV download they link to. */
    @Test
    void signedInBrowserOpensTheReportAndDownloadsItsCsv() {
        Map<String, String> session = DashboardTest.signIn();
        given().cookies(session).redirects().follow(false)
                .when().get("/reports/users/alice")
                .then().statusCode(200).contentType("text/html")
                .body(containsString("<h2>Compliance report: alice</h2>"));
        given().cookies(session).redirects().follow(false).queryParam("format", "csv")
                .when().get("/api/reports/users/alice")
                .then().statusCode(200).contentType("text/csv")
                .body(startsWith("section,name,value\r\nreport,subject,alice\r\n"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/reports/users", "/reports/users/alice"})
    void sreMayNotOpenReportPages(String path) {
        given().auth().oauth2(token("sam", "sre"))
                .when().get(path)
                .then().statusCode(403).contentType("application/problem+json")
                .body("status", is(403))
                .body("detail", is("Your roles do not allow this request."));
    }

    @Test
    void sreSeesSubjectsOnTheDashboardWithoutReportLinks() {
        String subject = TestEvents.uniqueSubject();
        EventEnvelope<JsonNode> e = event("auth.device.approved", "default", subject,
                Instant.now().truncatedTo(ChronoUnit.MILLIS), auth(null, null));
        events.send(Topics.AUTH_EVENTS, e);
        awaitEvents(Map.of("subject", subject), p -> p.getList("$").size() == 1);

        given().auth().oauth2(token("sam", "sre"))
                .when().get("/")
                .then().statusCode(200)
                .body(containsString("<td>" + subject + "</td>"))
                .body(not(containsString("/reports/users")));
        given().auth().oauth2(token("carol", "ciso"))
                .when().get("/")
                .then().statusCode(200)
                .body(containsString("<td><a href=\"/reports/users/" + subject + "?tenant=default\">" + subject
                        + "</a></td>"))
                .body(containsString("<a href=\"/reports/users\">Users and compliance reports</a>"));
    }

    @Test
    void invalidPeriodIsAProblemOnThePageToo() {
        given().auth().oauth2(token("alice", "admin")).queryParam("from", "soon")
                .when().get("/reports/users/alice")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", is("from must be an ISO-8601 instant such as 2025-01-31T12:00:00Z or a date such as"
                        + " 2025-01-31, in the years 1 to 9999."));
    }

    private double generatedHtml() {
        String text = given().when().get(metrics).then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("^infershield_audit_reports_generated_total\\{format=\"html\"} (\\S+)$",
                Pattern.MULTILINE).matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
