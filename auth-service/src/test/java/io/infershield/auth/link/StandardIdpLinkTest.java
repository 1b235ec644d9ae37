package io.infershield.auth.link;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.infershield.auth.service.DeviceFlowService;
import io.infershield.auth.support.LinkUpstreams;
import io.infershield.auth.support.LinkUpstreams.Upstreams;
import io.infershield.auth.support.TestDelayer;
import io.infershield.testkit.quarkus.InjectInfra;
import io.infershield.testkit.quarkus.KafkaResource;
import io.infershield.testkit.quarkus.PostgresResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static io.infershield.auth.support.LinkCalls.awaitEnd;
import static io.infershield.auth.support.LinkCalls.awaitOpenWaits;
import static io.infershield.auth.support.LinkCalls.start;
import static io.infershield.auth.support.LinkCalls.stores;
import static io.infershield.auth.support.LinkCalls.tokenServiceStoresLinks;
import static io.infershield.auth.support.LinkCalls.user;
import static io.infershield.auth.support.OAuthCalls.issueCredential;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Any standard RFC 8628 IdP is configuration only: found by its discovery document (RFC 8414) or by explicit
 * endpoints, with a confidential client authenticated by client_secret_basic or client_secret_post (RFC 6749 §2.3.1).
 * WireMock plays the IdP; the real Keycloak runs in the end-to-end suite.
 */
@QuarkusTest
// one application boot serves every test class that names the same resources
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = LinkUpstreams.class, scope = TestResourceScope.MATCHING_RESOURCES)
class StandardIdpLinkTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DEVICE_GRANT = "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code";

    @Inject
    DeviceFlowService deviceFlow;

    @Inject
    TestDelayer delayer;

    @InjectInfra
    Upstreams upstreams;

    @BeforeEach
    void idpAndTokenService() {
        WireMockServer idp = upstreams.wiremock();
        tokenServiceStoresLinks(idp);
        idp.stubFor(get("/idp/.well-known/openid-configuration").willReturn(json(200, "{\"issuer\":\"" + idp.baseUrl()
                + "/idp\",\"device_authorization_endpoint\":\"" + idp.baseUrl() + "/idp/device\",\"token_endpoint\":\""
                + idp.baseUrl() + "/idp/token\"}")));
        for (String base : List.of("/idp", "/idp-post")) {
            idp.stubFor(post(base + "/device").willReturn(json(200, "{\"device_code\":\"idp-device-code\","
                    + "\"user_code\":\"WDJB-MJHT\",\"verification_uri\":\"" + idp.baseUrl() + "/idp/device-page\","
                    + "\"verification_uri_complete\":\"" + idp.baseUrl() + "/idp/device-page?user_code=WDJB-MJHT\","
                    + "\"expires_in\":600,\"interval\":5}")));
            // pending once, then the tokens (RFC 8628 §3.5, RFC 6749 §5.1)
            idp.stubFor(post(base + "/token").inScenario(base).whenScenarioStateIs(STARTED)
                    .willReturn(json(400, "{\"error\":\"authorization_pending\"}")).willSetStateTo("approved"));
            idp.stubFor(post(base + "/token").inScenario(base).whenScenarioStateIs("approved")
                    .willReturn(json(200, "{\"access_token\":\"idp-access\",\"refresh_token\":\"idp-refresh\","
                            + "\"token_type\":\"Bearer\",\"expires_in\":300,\"scope\":\"openid offline_access\"}"))
                    .willSetStateTo(STARTED));
        }
        idp.resetScenarios();
    }

    @AfterEach
    void endOpenFlows() {
        delayer.abandonAll();
    }

    @Test
    void anIdpFoundByDiscoveryIsLinkedWithClientSecretBasic() throws Throwable {
        String user = user("idp");
        String credential = issueCredential(deviceFlow, user);
        WireMockServer idp = upstreams.wiremock();
        int deviceCalls = idp.findAll(postRequestedFor(urlEqualTo("/idp/device"))).size();
        int tokenCalls = idp.findAll(postRequestedFor(urlEqualTo("/idp/token"))).size();

        Response started = link(credential, "corp-idp");

        started.then().body("verificationUriComplete", equalTo(idp.baseUrl() + "/idp/device-page?user_code=WDJB-MJHT"));
        String basic = "Basic " + Base64.getEncoder().encodeToString((LinkUpstreams.IDP_CLIENT + ":"
                + LinkUpstreams.IDP_SECRET).getBytes(StandardCharsets.UTF_8));
        LoggedRequest device = idp.findAll(postRequestedFor(urlEqualTo("/idp/device"))).get(deviceCalls);
        assertEquals("application/x-www-form-urlencoded", device.getHeader("Content-Type"));
        assertEquals(basic, device.getHeader("Authorization"));
        assertEquals("scope=openid+offline_access", device.getBodyAsString());
        List<LoggedRequest> polls = idp.findAll(postRequestedFor(urlEqualTo("/idp/token")));
        assertEquals(tokenCalls + 2, polls.size());
        for (LoggedRequest poll : polls.subList(tokenCalls, polls.size())) {
            assertEquals(basic, poll.getHeader("Authorization"));
            assertEquals(DEVICE_GRANT + "&device_code=idp-device-code", poll.getBodyAsString());
        }
        JsonNode stored = JSON.readTree(stores(idp, user, "corp-idp").get(0).getBodyAsString());
        assertEquals(JSON.readTree("{\"accessToken\":\"idp-access\",\"refreshToken\":\"idp-refresh\",\"expiresIn\":300,"
                + "\"scopes\":[\"offline_access\",\"openid\"],\"tokenType\":\"Bearer\"}"), stored);
    }

    @Test
    void configuredEndpointsWithClientSecretPostSendTheSecretInTheBody() throws Throwable {
        String credential = issueCredential(deviceFlow, user("idp-post"));
        WireMockServer idp = upstreams.wiremock();
        int deviceCalls = idp.findAll(postRequestedFor(urlEqualTo("/idp-post/device"))).size();

        link(credential, "corp-idp-post");

        LoggedRequest device = idp.findAll(postRequestedFor(urlEqualTo("/idp-post/device"))).get(deviceCalls);
        assertFalse(device.containsHeader("Authorization"));
        assertEquals("client_id=" + LinkUpstreams.IDP_CLIENT + "&client_secret=" + LinkUpstreams.IDP_SECRET,
                device.getBodyAsString());
        List<LoggedRequest> polls = idp.findAll(postRequestedFor(urlEqualTo("/idp-post/token")));
        LoggedRequest last = polls.get(polls.size() - 1);
        assertNull(last.getHeader("Authorization"));
        assertEquals("client_id=" + LinkUpstreams.IDP_CLIENT + "&client_secret=" + LinkUpstreams.IDP_SECRET + "&"
                + DEVICE_GRANT + "&device_code=idp-device-code", last.getBodyAsString());
    }

    /** Starts a link, lets one poll meet authorization_pending and the next one the tokens. */
    private Response link(String credential, String provider) {
        Response started = start(credential, provider);
        started.then().statusCode(201).body("userCode", equalTo("WDJB-MJHT")).body("interval", equalTo(5));
        delayer.advance(Duration.ofSeconds(5), upstreams.clock());
        awaitOpenWaits(delayer, 1);
        delayer.advance(Duration.ofSeconds(5), upstreams.clock());
        awaitEnd(credential, started.path("id")).then().body("state", equalTo("linked"));
        return started;
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }
}
