package io.infershield.token.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.infershield.testkit.infra.Kafka;
import io.infershield.testkit.quarkus.InjectInfra;
import io.infershield.testkit.quarkus.KafkaResource;
import io.infershield.testkit.quarkus.PostgresResource;
import io.infershield.token.messaging.OutboxRelay;
import io.infershield.token.support.ProviderLogins;
import io.infershield.token.support.TokenEventLog;
import io.infershield.token.support.Tokens;
import io.infershield.token.support.UpstreamResource;
import io.infershield.token.support.Upstreams;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** auth-service keeps users' links here: store, list, delete (docs/architecture.md, internal API). */
@QuarkusTest
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = UpstreamResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class LinkCustodyTest {

    @InjectInfra
    Upstreams upstreams;

    @InjectInfra
    Kafka kafka;

    @Inject
    OutboxRelay relay;

    private final String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
    private final String user = "alice-" + UUID.randomUUID().toString().substring(0, 8);

    private String links() {
        return "/internal/v1/tenants/" + tenant + "/users/" + user + "/links";
    }

    private static RequestSpecification custodian() {
        return given().auth().oauth2(Tokens.custodian());
    }

    @Test
    void githubLinkIsStoredAndExchangedForACopilotTokenAtOnce() {
        String github = ProviderLogins.githubToken(upstreams.github(), upstreams.clock(), user);
        int exchanges = upstreams.github().received("/copilot_internal/v2/token").size();

        custodian().contentType(ContentType.JSON)
                .body("{\"accessToken\":\"" + github + "\",\"refreshToken\":null,\"expiresIn\":null,"
                        + "\"scopes\":[\"read:user\"],\"tokenType\":\"bearer\"}")
                .when().put(links() + "/github")
                .then().statusCode(200).contentType(ContentType.JSON)
                .body("provider", is("github"))
                .body("state", is("linked"))
                .body("scopes", contains("read:user"))
                .body("linkedAt", notNullValue())
                .body("expiresAt", nullValue())
                .body("lastRefreshAt", notNullValue())
                .body("brokenReason", nullValue())
                .body(not(containsString(github)));

        var calls = upstreams.github().received("/copilot_internal/v2/token");
        assertEquals(exchanges + 1, calls.size());
        var exchange = calls.get(calls.size() - 1);
        assertEquals("token " + github, exchange.header("authorization"));
        assertEquals("vscode/1.95.0", exchange.header("editor-version"));
        assertEquals("copilot/1.155.0", exchange.header("editor-plugin-version"));
        assertEquals("GithubCopilot/1.155.0", exchange.header("user-agent"));

        List<String> events = TokenEventLog.about(relay, kafka, tenant).stream().map(TokenEventLog::summary).toList();
        assertEquals(List.of(
                "token.stored success " + Tokens.AUTH_SERVICE + " " + user + " github user-token link -",
                "token.refreshed success " + Tokens.AUTH_SERVICE + " " + user + " github user-token link -"), events);
    }

    @Test
    void githubTokenTheCopilotEndpointRejectsIsStoredAsBroken() {
        custodian().contentType(ContentType.JSON)
                .body("{\"accessToken\":\"gho_revokedOrNeverIssued000000000000000\",\"scopes\":[\"read:user\"]}")
                .when().put(links() + "/github")
                .then().statusCode(200)
                .body("state", is("broken"))
                .body("brokenReason", is("github_token_rejected"))
                .body("lastRefreshAt", nullValue());

        List<String> events = TokenEventLog.about(relay, kafka, tenant).stream().map(TokenEventLog::summary).toList();
        String who = Tokens.AUTH_SERVICE + " " + user + " github user-token link";
        assertEquals(List.of("token.stored success " + who + " -",
                "token.refreshed failed " + who + " github_token_rejected",
                "token.link_broken failed " + who + " github_token_rejected"), events);
    }

    @Test
    void listShowsMetadataOfTheUsersOwnLinksOnly() {
        var tokens = ProviderLogins.openAiTokens(upstreams.openai(), user + "@example.com");
        custodian().contentType(ContentType.JSON)
                .body("{\"accessToken\":\"" + tokens.accessToken() + "\",\"refreshToken\":\"" + tokens.refreshToken()
                        + "\",\"expiresIn\":3600,\"scopes\":[\"openid\",\"offline_access\"],\"tokenType\":\"Bearer\"}")
                .when().put(links() + "/openai").then().statusCode(200).body("state", is("linked"));

        String body = custodian().when().get(links())
                .then().statusCode(200).contentType(ContentType.JSON)
                .body("links.provider", contains("openai"))
                .body("links[0].state", is("linked"))
                .body("links[0].scopes", contains("openid", "offline_access"))
                .body("links[0].expiresAt", notNullValue())
                .body("links[0].keySet()", is(Set.of("provider", "state", "scopes", "linkedAt", "expiresAt",
                        "lastRefreshAt", "brokenReason")))
                .extract().asString();
        assertEquals(-1, body.indexOf(tokens.accessToken()));
        assertEquals(-1, body.indexOf(tokens.refreshToken()));

        custodian().when().get("/internal/v1/tenants/" + tenant + "/users/bob/links")
                .then().statusCode(200).body("links", empty());
        custodian().when().get("/internal/v1/tenants/other-" + tenant + "/users/" + user + "/links")
                .then().statusCode(200).body("links", empty());
    }

    @Test
    void putAgainReplacesTheLink() {
        custodian().contentType(ContentType.JSON).body("{\"accessToken\":\"corp-access-first-000\",\"expiresIn\":60}")
                .when().put(links() + "/corp").then().statusCode(200);
        custodian().contentType(ContentType.JSON).body("{\"accessToken\":\"corp-access-second-00\",\"scopes\":[\"b\"]}")
                .when().put(links() + "/corp").then().statusCode(200).body("expiresAt", nullValue());

        custodian().when().get(links()).then().statusCode(200)
                .body("links.provider", contains("corp"))
                .body("links[0].scopes", contains("b"))
                .body("links[0].expiresAt", nullValue());
    }

    @Test
    void deleteRevokesTheRefreshTokenUpstreamAndRemovesTheLink() {
        upstreams.corp().stubFor(post("/revoke").willReturn(aResponse().withStatus(200)));
        String refresh = "corp-refresh-" + UUID.randomUUID();
        custodian().contentType(ContentType.JSON)
                .body("{\"accessToken\":\"corp-access-" + UUID.randomUUID() + "\",\"refreshToken\":\"" + refresh
                        + "\",\"expiresIn\":3600}")
                .when().put(links() + "/corp").then().statusCode(200);

        custodian().when().delete(links() + "/corp").then().statusCode(204).body(is(""));

        // RFC 7009 §2.1: the refresh token, with its type hint, from the client authenticated by HTTP Basic
        upstreams.corp().verify(1, postRequestedFor(urlEqualTo("/revoke"))
                .withHeader("Authorization", equalTo("Basic " + java.util.Base64.getEncoder().encodeToString(
                        (UpstreamResource.CORP_CLIENT_ID + ":" + UpstreamResource.CORP_CLIENT_SECRET).getBytes())))
                .withRequestBody(containing("token=" + refresh))
                .withRequestBody(containing("token_type_hint=refresh_token")));
        custodian().when().get(links()).then().statusCode(200).body("links", empty());
        custodian().when().delete(links() + "/corp")
                .then().statusCode(404).contentType("application/problem+json")
                .body("type", is("urn:infershield:problem:no-link"))
                .body("title", is("Not Found"))
                .body("status", is(404))
                .body("detail", is("The user has no link to corp"));

        List<String> events = TokenEventLog.about(relay, kafka, tenant).stream().map(TokenEventLog::summary).toList();
        String who = Tokens.AUTH_SERVICE + " " + user + " corp user-token";
        assertEquals(List.of("token.stored success " + who + " link -", "token.revoked success " + who + " unlink -",
                "token.revoked not_found " + who + " unlink -"), events);
    }

    @Test
    void failedUpstreamRevocationStillDeletesAndIsReported() {
        upstreams.corp().stubFor(post("/revoke").willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json").withBody("{\"error\":\"unsupported_token_type\"}")));
        custodian().contentType(ContentType.JSON).body("{\"accessToken\":\"corp-access-" + UUID.randomUUID() + "\"}")
                .when().put(links() + "/corp").then().statusCode(200);

        custodian().when().delete(links() + "/corp").then().statusCode(204);

        custodian().when().get(links()).then().statusCode(200).body("links", empty());
        List<String> events = TokenEventLog.about(relay, kafka, tenant).stream().map(TokenEventLog::summary).toList();
        assertEquals("token.revoked failed " + Tokens.AUTH_SERVICE + " " + user
                + " corp user-token unlink upstream_unsupported_token_type", events.get(events.size() - 1));
        upstreams.corp().resetAll();
    }

    @Test
    void unknownProviderIs404() {
        custodian().contentType(ContentType.JSON).body("{\"accessToken\":\"some-access-token\"}")
                .when().put(links() + "/mistral")
                .then().statusCode(404).contentType("application/problem+json")
                .body("type", is("urn:infershield:problem:unknown-provider"))
                .body("detail", is("No provider mistral is configured for links"));
    }

    @Test
    void invalidBodiesAre400WithoutEchoingTokens() {
        custodian().contentType(ContentType.JSON).body("{\"accessToken\": \"gho_half")
                .when().put(links() + "/github")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", is("about:blank"))
                .body("detail", is("The request body is not the JSON this endpoint takes"))
                .body(not(containsString("gho_half")));
        custodian().contentType(ContentType.JSON).body("{}")
                .when().put(links() + "/github")
                .then().statusCode(400).body("detail", is("accessToken: must not be null"));
        custodian().contentType(ContentType.JSON).body("{\"accessToken\":\"gho_line\\r\\nX-Injected: 1\"}")
                .when().put(links() + "/github")
                .then().statusCode(400).body("detail", is("accessToken: must be printable ASCII without spaces"))
                .body(not(containsString("gho_line")));
        custodian().contentType(ContentType.JSON).body("{\"accessToken\":\"gho_valid_token_1\",\"expiresIn\":0}")
                .when().put(links() + "/github")
                .then().statusCode(400).body("detail", is("expiresIn: must be greater than or equal to 1"));
        custodian().contentType(ContentType.JSON).body("{\"accessToken\":\"gho_valid_token_1\",\"scopes\":[\"a b\"]}")
                .when().put(links() + "/github")
                .then().statusCode(400).body("detail", containsString("must be a scope token (RFC 6749 §3.3)"));
        custodian().contentType(ContentType.JSON)
                .when().put(links() + "/github")
                .then().statusCode(400).body("detail", is("body: a JSON body with accessToken is required"));
        custodian().when().get(links()).then().statusCode(200).body("links", empty());
    }

    @Test
    void wrongContentTypeIs415() {
        custodian().contentType(ContentType.TEXT).body("accessToken=gho_as_text")
                .when().put(links() + "/github")
                .then().statusCode(415).contentType("application/problem+json")
                .body("title", is("Unsupported Media Type"))
                .body("detail", is("The request body must be application/json"));
    }
}
