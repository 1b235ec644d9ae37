package io.infershield.auth.support;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.smallrye.jwt.build.Jwt;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A browser signed in to the verification page through the OIDC code flow against OidcWiremockTestResource, whose
 * token endpoint accepts any code and returns an ID token for {@code alice}. Keeps cookies like a browser does.
 */
public final class BrowserSession {

    private static final Pattern CSRF_FIELD = Pattern.compile("name=\"csrf-token\" value=\"([^\"]+)\"");

    private final Map<String, String> cookies = new HashMap<>();

    private BrowserSession() {
    }

    /** Signs in: follows the redirect to the provider, then returns to the callback with a code, as the provider would. */
    public static BrowserSession signIn() {
        return signIn("any-code-the-mock-accepts");
    }

    /** Signs in with a given authorization code, for tests that stub the provider's answer to that code. */
    public static BrowserSession signIn(String code) {
        BrowserSession browser = new BrowserSession();
        Response challenge = browser.get("/device");
        assertEquals(302, challenge.statusCode());
        Map<String, String> query = queryOf(challenge.header("Location"));
        Response callback = given().redirects().follow(false).cookies(browser.cookies)
                .queryParam("state", query.get("state")).queryParam("code", code)
                .when().get(query.get("redirect_uri"));
        browser.cookies.putAll(callback.cookies());
        assertEquals(302, callback.statusCode(), callback.asString());
        assertTrue(browser.cookies.containsKey("q_session"), "session cookie: " + browser.cookies.keySet());
        return browser;
    }

    /**
     * Signs in as {@code user}, in a provider session of their own: the mock provider signs everyone in as alice
     * unless a stub for this sign-in's code answers with the user's tokens.
     */
    public static BrowserSession signInAs(WireMockServer provider, String user, String sessionId) {
        return signInAs(provider, user, sessionId, Set.of());
    }

    /** Signs in as {@code user} holding {@code realmRoles}, where Keycloak puts them: the access token. */
    public static BrowserSession signInAs(WireMockServer provider, String user, String sessionId,
                                          Set<String> realmRoles) {
        String code = user + "-" + sessionId + "-signs-in";
        provider.stubFor(WireMock.post("/auth/realms/quarkus/token").atPriority(1)
                .withRequestBody(containing("code=" + code))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("{\"access_token\":\""
                        + keycloakAccessToken(user, realmRoles) + "\",\"id_token\":\""
                        + OidcWiremockTestResource.getIdToken(user, "quarkus-web-app", Map.of("sid", sessionId))
                        + "\",\"token_type\":\"Bearer\",\"expires_in\":300}")));
        return signIn(code);
    }

    /**
     * An access token shaped like Keycloak's, signed by the mock provider's key: realm roles, and a client role that
     * is not a realm role and so must never become a group.
     */
    private static String keycloakAccessToken(String user, Set<String> realmRoles) {
        return Jwt.preferredUserName(user).subject(user)
                .claim("realm_access", Map.of("roles", List.copyOf(realmRoles)))
                .claim("resource_access", Map.of("quarkus-web-app", Map.of("roles", List.of("client-role"))))
                .issuer("https://server.example.com").audience("https://service.example.com")
                .jws().keyId("1").sign("privateKey.jwk");
    }

    public Response get(String path) {
        return get(path, Map.of());
    }

    public Response get(String path, Map<String, String> query) {
        Response response = given().redirects().follow(false).cookies(cookies).queryParams(query).when().get(path);
        cookies.putAll(response.cookies());
        return response;
    }

    /** Posts a form, with the CSRF token taken from {@code page} as the browser would send it. */
    public Response submit(String path, String page, Map<String, String> fields) {
        Map<String, String> form = new HashMap<>(fields);
        form.put("csrf-token", csrfTokenIn(page));
        return post(path, form);
    }

    public Response post(String path, Map<String, String> form) {
        Response response = given().redirects().follow(false).cookies(cookies).contentType(ContentType.URLENC)
                .formParams(form).when().post(path);
        cookies.putAll(response.cookies());
        return response;
    }

    public static String csrfTokenIn(String page) {
        Matcher field = CSRF_FIELD.matcher(page);
        assertTrue(field.find(), "no CSRF field in page");
        return field.group(1);
    }

    private static Map<String, String> queryOf(String location) {
        Map<String, String> query = new HashMap<>();
        for (String pair : URI.create(location).getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            query.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return query;
    }
}
