package io.infershield.audit.rest;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import io.infershield.testkit.quarkus.InjectInfra;
import io.infershield.testkit.quarkus.KafkaResource;
import io.infershield.testkit.quarkus.PostgresResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.infershield.audit.TestEvents.token;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * User management on a developer's report page: an administrator disables (or enables) the developer, and auth-service
 * does it on the administrator's own token. WireMock plays auth-service; the forms carry a CSRF token.
 */
@QuarkusTest
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = AuthServiceResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class UserManagementTest {

    private static final Pattern CSRF = Pattern.compile("name=\"csrf-token\" value=\"([^\"]+)\"");

    @InjectInfra
    WireMockServer auth;

    private final String dev = "dev-" + UUID.randomUUID().toString().substring(0, 8);
    private final String admin = "/api/admin/users/" + dev;

    @BeforeEach
    void reset() {
        auth.resetAll();
        auth.stubFor(get(urlEqualTo(admin)).willReturn(okJson("{\"subject\":\"" + dev + "\",\"disabled\":false,"
                + "\"disabledAt\":null,\"disabledBy\":null,\"reason\":null,\"activeCredentials\":2,"
                + "\"linkRevocationPending\":false}")));
    }

    /** The report page as a signed-in administrator sees it, and the cookies and CSRF token its forms post with. */
    private record Page(Response response, Map<String, String> cookies, String csrf) {
    }

    private Page reportPage(Map<String, String> session) {
        Response page = given().cookies(session).redirects().follow(false).when().get("/reports/users/" + dev);
        assertEquals(200, page.statusCode(), page.asString());
        Matcher m = CSRF.matcher(page.asString());
        assertTrue(m.find(), "the page carries a CSRF token");
        Map<String, String> cookies = new HashMap<>(session);
        cookies.putAll(page.getCookies());
        return new Page(page, cookies, m.group(1));
    }

    @Test
    void anAdministratorDisablesADeveloperFromTheReportPageOnTheirOwnToken() {
        auth.stubFor(post(urlEqualTo(admin + "/disable")).willReturn(okJson("{\"subject\":\"" + dev + "\","
                + "\"disabled\":true,\"disabledAt\":\"2026-12-02T11:00:00Z\",\"credentialsRevoked\":2,\"linksRevoked\":1}")));
        Page page = reportPage(DashboardTest.signIn());
        assertTrue(page.response().asString().contains("<p id=\"user-state\">" + dev + " is enabled.</p>"));

        given().cookies(page.cookies()).redirects().follow(false)
                .formParam("csrf-token", page.csrf()).formParam("reason", "left the company; laptop not returned")
                .when().post("/reports/users/" + dev + "/disable")
                .then().statusCode(303)
                .header("Location", endsWith("/reports/users/" + dev + "?done=disabled"));
        auth.verify(1, postRequestedFor(urlEqualTo(admin + "/disable"))
                .withHeader("Authorization", matching("Bearer ey[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+"))
                .withRequestBody(equalToJson("{\"reason\":\"left the company; laptop not returned\"}")));

        given().cookies(page.cookies()).redirects().follow(false).queryParam("done", "disabled")
                .when().get("/reports/users/" + dev)
                .then().statusCode(200)
                .body(containsString("<p class=\"outcome\" id=\"outcome\">Disabled: every credential and provider token of "
                        + dev + " is revoked, and their sign-ins are refused.</p>"));
    }

    @Test
    void aDisableWhoseProviderTokensAreStillOwedSaysSo() {
        auth.stubFor(post(urlEqualTo(admin + "/disable")).willReturn(aResponse().withStatus(503)
                .withHeader("Content-Type", "application/problem+json").withHeader("Retry-After", "30")
                .withBody("{\"status\":503,\"error\":\"link_revocation_pending\",\"subject\":\"" + dev + "\","
                        + "\"disabled\":true,\"credentialsRevoked\":2,\"linksRevoked\":null}")));
        Page page = reportPage(DashboardTest.signIn());
        given().cookies(page.cookies()).redirects().follow(false).formParam("csrf-token", page.csrf())
                .when().post("/reports/users/" + dev + "/disable")
                .then().statusCode(303).header("Location", endsWith("/reports/users/" + dev + "?done=pending"));
        auth.verify(1, postRequestedFor(urlEqualTo(admin + "/disable")).withRequestBody(equalToJson("{}")));
    }

    @Test
    void enablingCallsAuthServiceAndReportsIt() {
        auth.stubFor(post(urlEqualTo(admin + "/enable"))
                .willReturn(okJson("{\"subject\":\"" + dev + "\",\"disabled\":false}")));
        Page page = reportPage(DashboardTest.signIn());
        given().cookies(page.cookies()).redirects().follow(false).formParam("csrf-token", page.csrf())
                .when().post("/reports/users/" + dev + "/enable")
                .then().statusCode(303).header("Location", endsWith("/reports/users/" + dev + "?done=enabled"));
        auth.verify(1, postRequestedFor(urlEqualTo(admin + "/enable")));
    }

    @Test
    void aFormWithoutItsCsrfTokenChangesNothing() {
        Page page = reportPage(DashboardTest.signIn());
        given().cookies(page.cookies()).redirects().follow(false).formParam("reason", "forged")
                .when().post("/reports/users/" + dev + "/disable")
                .then().statusCode(400);
        given().cookies(page.cookies()).redirects().follow(false).formParam("csrf-token", "not-" + page.csrf())
                .when().post("/reports/users/" + dev + "/disable")
                .then().statusCode(400);
        auth.verify(0, postRequestedFor(urlEqualTo(admin + "/disable")));
    }

    @Test
    void whenAuthServiceFailsNothingIsChangedAndTheAdministratorIsTold() {
        auth.stubFor(post(urlEqualTo(admin + "/disable")).willReturn(aResponse().withStatus(500)));
        Page page = reportPage(DashboardTest.signIn());
        given().cookies(page.cookies()).redirects().follow(false).formParam("csrf-token", page.csrf())
                .when().post("/reports/users/" + dev + "/disable")
                .then().statusCode(502).contentType("application/problem+json")
                .body("status", is(502))
                .body("detail", is("auth-service could not be reached; nothing was changed. Try again."));
        auth.stubFor(post(urlEqualTo(admin + "/disable")).willReturn(aResponse().withStatus(403)
                .withHeader("Content-Type", "application/problem+json").withBody("{\"status\":403}")));
        given().cookies(page.cookies()).redirects().follow(false).formParam("csrf-token", page.csrf())
                .when().post("/reports/users/" + dev + "/disable")
                .then().statusCode(403)
                .body("detail", is("auth-service refused: your roles do not allow managing users."));
    }

    @Test
    void aSecurityOfficerReadsTheReportWithoutUserManagement() {
        given().auth().oauth2(token("carol", "ciso"))
                .when().get("/reports/users/" + dev)
                .then().statusCode(200)
                .body(not(containsString("User management")))
                .body(not(containsString("/disable")));
        auth.verify(0, WireMock.getRequestedFor(urlEqualTo(admin)));
    }
}
