package io.infershield.auth.support;

import io.infershield.auth.service.DeviceFlowService;
import io.infershield.auth.service.UserCodes;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

import java.util.List;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The requests a device and the proxy make, for tests that need a grant or a credential as a starting point. */
public final class OAuthCalls {

    public static final String CLIENT = "infershield-cli";
    public static final String OTHER_CLIENT = "other-cli";
    /** A registered client without the device code grant. */
    public static final String NO_DEVICE_CLIENT = "no-device-cli";
    public static final String DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
    public static final String INTROSPECTION_CLIENT = "proxy-service";
    public static final String INTROSPECTION_SECRET = "test-only-introspection-secret";

    private OAuthCalls() {
    }

    /** A started device grant. */
    public record Grant(String deviceCode, String userCode) {
        public String canonicalUserCode() {
            return UserCodes.normalize(userCode).orElseThrow();
        }
    }

    public static Grant startGrant(String clientId) {
        return startGrant(clientId, "infershield-cli/test");
    }

    /** Starts a grant from a device that identifies itself as {@code userAgent}. */
    public static Grant startGrant(String clientId, String userAgent) {
        Response response = given().contentType(ContentType.URLENC).header("User-Agent", userAgent)
                .formParam("client_id", clientId)
                .when().post("/oauth/device_authorization");
        response.then().statusCode(200);
        return new Grant(response.path("device_code"), response.path("user_code"));
    }

    public static Response poll(String clientId, String deviceCode) {
        return given().contentType(ContentType.URLENC)
                .formParam("grant_type", DEVICE_CODE_GRANT)
                .formParam("device_code", deviceCode)
                .formParam("client_id", clientId)
                .when().post("/oauth/token");
    }

    /** Approves or denies through the service, as the verification page would for {@code subject} without roles. */
    public static void decide(DeviceFlowService deviceFlow, Grant grant, boolean approve, String subject) throws Throwable {
        assertTrue(VertxContextSupport.subscribeAndAwait(
                () -> deviceFlow.decide(grant.canonicalUserCode(), approve, subject, List.of())));
    }

    /** A fresh credential for {@code subject}, issued through the whole device flow. */
    public static String issueCredential(DeviceFlowService deviceFlow, String subject) throws Throwable {
        return issueTokens(deviceFlow, subject).path("access_token");
    }

    /** The token response of a whole device flow for {@code subject}: access credential and refresh token. */
    public static Response issueTokens(DeviceFlowService deviceFlow, String subject) throws Throwable {
        Grant grant = startGrant(CLIENT);
        decide(deviceFlow, grant, true, subject);
        Response token = poll(CLIENT, grant.deviceCode());
        token.then().statusCode(200);
        return token;
    }

    public static Response refresh(String clientId, String refreshToken) {
        return given().contentType(ContentType.URLENC)
                .formParam("grant_type", "refresh_token")
                .formParam("refresh_token", refreshToken)
                .formParam("client_id", clientId)
                .when().post("/oauth/token");
    }

    public static Response introspect(String token) {
        return given().auth().preemptive().basic(INTROSPECTION_CLIENT, INTROSPECTION_SECRET)
                .contentType(ContentType.URLENC).formParam("token", token)
                .when().post("/oauth/introspect");
    }
}
