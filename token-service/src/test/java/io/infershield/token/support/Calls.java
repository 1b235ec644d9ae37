package io.infershield.token.support;

import io.restassured.http.ContentType;
import io.restassured.response.Response;

import static io.restassured.RestAssured.given;

/** The calls auth-service and proxy-service make, for tests that need a link or a credential as a starting point. */
public final class Calls {

    private Calls() {
    }

    public static String base(String tenant, String user) {
        return "/internal/v1/tenants/" + tenant + "/users/" + user;
    }

    /** auth-service stores a link; asserts 200. */
    public static void link(String tenant, String user, String provider, String json) {
        given().auth().oauth2(Tokens.custodian()).contentType(ContentType.JSON).body(json)
                .when().put(base(tenant, user) + "/links/" + provider)
                .then().statusCode(200);
    }

    /** proxy-service reads a credential. */
    public static Response credential(String tenant, String user, String provider) {
        return given().auth().oauth2(Tokens.consumer()).when().get(base(tenant, user) + "/credentials/" + provider);
    }

    /** proxy-service reports that the upstream rejected {@code version}. */
    public static Response rejected(String tenant, String user, String provider, long version) {
        return given().auth().oauth2(Tokens.consumer()).contentType(ContentType.JSON)
                .body("{\"rejectedVersion\":" + version + "}")
                .when().post(base(tenant, user) + "/credentials/" + provider + "/refresh");
    }
}
