package io.infershield.auth.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.infershield.testkit.infra.Kafka;
import io.restassured.response.Response;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

/** The calls {@code infershield connect} makes to the link API, and token-service as WireMock plays it. */
public final class LinkCalls {

    public static final String TENANT = "default";

    private LinkCalls() {
    }

    public static Response start(String credential, String provider) {
        return given().auth().oauth2(credential).when().post("/v1/links/" + provider);
    }

    public static Response session(String credential, String id) {
        return given().auth().oauth2(credential).when().get("/v1/links/sessions/" + id);
    }

    public static Response cancel(String credential, String id) {
        return given().auth().oauth2(credential).when().delete("/v1/links/sessions/" + id);
    }

    public static Response list(String credential) {
        return given().auth().oauth2(credential).when().get("/v1/links");
    }

    public static Response remove(String credential, String provider) {
        return given().auth().oauth2(credential).when().delete("/v1/links/" + provider);
    }

    /** Waits (in real time, for the HTTP round trips only) until the session has left {@code pending}. */
    public static Response awaitEnd(String credential, String id) {
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20))
                .until(() -> !"pending".equals(session(credential, id).path("state")));
        return session(credential, id);
    }

    /** Waits until the flow has sent its poll and is waiting again, so the next step of time meets a waiting flow. */
    public static void awaitOpenWaits(TestDelayer delayer, int count) {
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(10))
                .until(() -> delayer.openWaitSeconds().size() == count);
    }

    /** token-service accepts every link store and answers its metadata. */
    public static void tokenServiceStoresLinks(WireMockServer wiremock) {
        wiremock.stubFor(put(urlPathMatching("/internal/v1/tenants/[^/]+/users/[^/]+/links/[^/]+"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"provider\":\"github\",\"state\":\"linked\",\"scopes\":[\"read:user\"],"
                                + "\"linkedAt\":\"2025-01-01T00:00:00Z\",\"expiresAt\":null,\"lastRefreshAt\":null,"
                                + "\"brokenReason\":null}")));
    }

    public static String linkPath(String user, String provider) {
        return "/internal/v1/tenants/" + TENANT + "/users/" + user + "/links/" + provider;
    }

    /** The link stores token-service received for {@code user} and {@code provider}. */
    public static List<LoggedRequest> stores(WireMockServer wiremock, String user, String provider) {
        return wiremock.findAll(putRequestedFor(urlEqualTo(linkPath(user, provider))));
    }

    /** The auth.link events about one session, in the order published. */
    public static List<JsonNode> linkEvents(Kafka kafka, String sessionId) {
        return AuthEventLog.values(kafka).stream().map(AuthEventLog::parse)
                .filter(event -> event.path("type").asText().startsWith("auth.link."))
                .filter(event -> sessionId.equals(event.path("body").path("linkId").asText()))
                .toList();
    }

    /** A subject no other test uses, so that stubs, stores and events of tests never mix. */
    public static String user(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
