package io.infershield.auth.rest;

import io.infershield.auth.service.DeviceFlowService;
import io.infershield.auth.support.BrowserSession;
import io.infershield.auth.support.OAuthCalls.Grant;
import io.infershield.auth.support.TestClock;
import io.infershield.testkit.quarkus.KafkaResource;
import io.infershield.testkit.quarkus.PostgresResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import java.util.Map;

import static io.infershield.auth.support.OAuthCalls.CLIENT;
import static io.infershield.auth.support.OAuthCalls.decide;
import static io.infershield.auth.support.OAuthCalls.introspect;
import static io.infershield.auth.support.OAuthCalls.poll;
import static io.infershield.auth.support.OAuthCalls.startGrant;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The verification page (RFC 8628 §3.3) behind OIDC sign-in and CSRF checks. */
@QuarkusTest
// one application boot serves every test class that names the same resources
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class VerificationPageTest {

    @Inject
    DeviceFlowService deviceFlow;

    @Inject
    TestClock clock;

    /** Every test signs in as alice from 127.0.0.1: start each with fresh failed-entry windows. */
    @BeforeEach
    void startAFreshFailedEntryWindow() {
        clock.advance(Duration.ofMinutes(15));
    }

    @Test
    void withoutASessionTheCodePageRedirectsToTheOidcProvider() {
        String provider = ConfigProvider.getConfig().getValue("quarkus.oidc.auth-server-url", String.class);
        Response response = given().redirects().follow(false).when().get("/device?user_code=BCDF-GHJK");
        assertEquals(302, response.statusCode());
        String location = response.header("Location");
        assertTrue(location.startsWith(provider), location);
        assertTrue(location.contains("client_id=quarkus-web-app"), location);
    }

    @Test
    void oauthEndpointsStayPublicWhileConfirmNeedsASession() {
        given().redirects().follow(false).contentType(ContentType.URLENC).formParam("user_code", "BCDF-GHJK")
                .when().post("/device/confirm")
                .then().statusCode(302);
        given().when().get("/.well-known/oauth-authorization-server").then().statusCode(200);
    }

    @Test
    void verificationUriCompletePrefillsTheCodeButDecidesNothing() {
        Grant grant = startGrant(CLIENT);
        BrowserSession browser = BrowserSession.signIn();
        Response page = browser.get("/device", Map.of("user_code", grant.userCode()));
        assertEquals(200, page.statusCode());
        assertTrue(page.asString().contains("id=\"user_code\" name=\"user_code\" value=\"" + grant.userCode() + "\""));
        assertTrue(page.asString().contains("<title>InferShield sign-in</title>"));
        poll(CLIENT, grant.deviceCode()).then().statusCode(400).body("error", equalTo("authorization_pending"));
    }

    @Test
    void confirmPageShowsWhoAskedAndApprovalBindsTheSignedInUser() {
        Grant grant = startGrant(CLIENT, "VSCode-InferShield/0.3");
        BrowserSession browser = BrowserSession.signIn();
        String form = browser.get("/device").asString();
        // what a user types: lower case, a space instead of the dash
        Response confirm = browser.submit("/device/confirm", form,
                Map.of("user_code", grant.userCode().toLowerCase().replace('-', ' ')));
        assertEquals(200, confirm.statusCode());
        String page = confirm.asString();
        assertTrue(page.contains("<dd id=\"confirm-code\" class=\"code\">" + grant.userCode() + "</dd>"), page);
        assertTrue(page.contains("<dd id=\"client\">" + CLIENT + "</dd>"), page);
        assertTrue(page.contains("<dd id=\"requester-ip\">127.0.0.1</dd>"), page);
        assertTrue(page.contains("<dd id=\"user-agent\">VSCode-InferShield/0.3</dd>"), page);
        assertTrue(page.contains("id=\"approve\"") && page.contains("id=\"deny\""), page);

        Response result = browser.submit("/device/approve", page, Map.of("user_code", grant.userCode()));
        assertEquals(200, result.statusCode());
        assertTrue(result.asString().contains("<p id=\"result\">Sign-in approved."), result.asString());

        String credential = poll(CLIENT, grant.deviceCode()).then().statusCode(200).extract().path("access_token");
        introspect(credential).then().statusCode(200).body("sub", equalTo("alice"));
    }

    @Test
    void denyingOnThePageMakesTheDeviceGetAccessDenied() {
        Grant grant = startGrant(CLIENT);
        BrowserSession browser = BrowserSession.signIn();
        String confirm = browser.submit("/device/confirm", browser.get("/device").asString(),
                Map.of("user_code", grant.userCode())).asString();
        Response result = browser.submit("/device/deny", confirm, Map.of("user_code", grant.userCode()));
        assertEquals(200, result.statusCode());
        assertTrue(result.asString().contains("<p id=\"result\">Sign-in denied."), result.asString());
        poll(CLIENT, grant.deviceCode()).then().statusCode(400).body("error", equalTo("access_denied"));
    }

    @Test
    void unknownMalformedAndUsedCodesGetOneIdenticalMessage() throws Throwable {
        BrowserSession browser = BrowserSession.signIn();
        String form = browser.get("/device").asString();
        Grant used = startGrant(CLIENT);
        decide(deviceFlow, used, true, "bob");
        poll(CLIENT, used.deviceCode()).then().statusCode(200);
        Grant denied = startGrant(CLIENT);
        decide(deviceFlow, denied, false, "bob");

        for (String code : new String[] {"BBBB-BBBB", "BCD", "AEIO-UAEI", used.userCode(), denied.userCode()}) {
            Response response = browser.submit("/device/confirm", form, Map.of("user_code", code));
            assertEquals(400, response.statusCode(), code);
            assertTrue(response.asString().contains(
                    "<p class=\"error\" id=\"error\" role=\"alert\">" + DeviceResource.INVALID_CODE + "</p>"), code);
        }
    }

    @Test
    void aGrantDecidedBySomeoneElseCannotBeChanged() throws Throwable {
        Grant grant = startGrant(CLIENT);
        BrowserSession browser = BrowserSession.signIn();
        String form = browser.get("/device").asString();
        // bob decides before alice confirms: once she has confirmed, the claim would keep him out (RFC 8628 §5.5)
        decide(deviceFlow, grant, true, "bob");

        Response result = browser.submit("/device/deny", form, Map.of("user_code", grant.userCode()));
        assertEquals(400, result.statusCode());
        assertTrue(result.asString().contains(DeviceResource.INVALID_CODE));
        String credential = poll(CLIENT, grant.deviceCode()).then().statusCode(200).extract().path("access_token");
        introspect(credential).then().statusCode(200).body("sub", equalTo("bob"));
    }

    @Test
    void approvalWithoutAValidCsrfTokenIsRejected() {
        Grant grant = startGrant(CLIENT);
        BrowserSession browser = BrowserSession.signIn();
        String confirm = browser.submit("/device/confirm", browser.get("/device").asString(),
                Map.of("user_code", grant.userCode())).asString();

        assertEquals(400, browser.post("/device/approve", Map.of("user_code", grant.userCode())).statusCode());
        String forged = BrowserSession.csrfTokenIn(confirm).equals("A".repeat(43)) ? "B".repeat(43) : "A".repeat(43);
        assertEquals(400, browser.post("/device/approve",
                Map.of("user_code", grant.userCode(), "csrf-token", forged)).statusCode());
        poll(CLIENT, grant.deviceCode()).then().statusCode(400).body("error", equalTo("authorization_pending"));
    }

    @Test
    void echoedCodeIsHtmlEscaped() {
        String attack = "\"><script>alert(1)</script>";
        BrowserSession browser = BrowserSession.signIn();
        Response prefilled = browser.get("/device", Map.of("user_code", attack));
        assertEquals(200, prefilled.statusCode());
        assertEscaped(prefilled.asString());

        Response confirm = browser.submit("/device/confirm", prefilled.asString(), Map.of("user_code", attack));
        assertEquals(400, confirm.statusCode());
        assertEscaped(confirm.asString());
    }

    @Test
    void requesterUserAgentIsHtmlEscapedOnTheConfirmPage() {
        Grant grant = startGrant(CLIENT, "<img src=x onerror=alert(1)>");
        BrowserSession browser = BrowserSession.signIn();
        String page = browser.submit("/device/confirm", browser.get("/device").asString(),
                Map.of("user_code", grant.userCode())).asString();
        assertTrue(page.contains("<dd id=\"user-agent\">&lt;img src=x onerror=alert(1)&gt;</dd>"), page);
        assertFalse(page.contains("<img"), page);
    }

    private static void assertEscaped(String page) {
        assertTrue(page.contains("value=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\""), page);
        assertFalse(page.contains("<script>"), page);
    }
}
