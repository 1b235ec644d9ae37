package io.infershield.token.rest;

import io.infershield.testkit.infra.Kafka;
import io.infershield.testkit.quarkus.InjectInfra;
import io.infershield.testkit.quarkus.KafkaResource;
import io.infershield.testkit.quarkus.PostgresResource;
import io.infershield.token.messaging.OutboxRelay;
import io.infershield.token.support.Calls;
import io.infershield.token.support.TokenEventLog;
import io.infershield.token.support.Tokens;
import io.infershield.token.support.UpstreamResource;
import io.infershield.token.support.Upstreams;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code DELETE …/users/{user}/links}: auth-service revokes every link of a user an administrator disabled, in one
 * idempotent call that answers how many it revoked.
 */
@QuarkusTest
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = UpstreamResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class RevokeAllLinksTest {

    @InjectInfra
    Upstreams upstreams;

    @InjectInfra
    Kafka kafka;

    @Inject
    OutboxRelay relay;

    private final String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
    private final String user = "dave-" + UUID.randomUUID().toString().substring(0, 8);

    private String links(String who) {
        return Calls.base(tenant, who) + "/links";
    }

    @Test
    void everyLinkIsRevokedUpstreamDeletedAndReportedAndOnlyThisUsersLinks() {
        upstreams.corp().stubFor(post("/revoke").willReturn(aResponse().withStatus(200)));
        String refresh = "corp-refresh-" + UUID.randomUUID();
        Calls.link(tenant, user, "corp", "{\"accessToken\":\"corp-access-" + UUID.randomUUID() + "\",\"refreshToken\":\""
                + refresh + "\",\"expiresIn\":3600}");
        Calls.link(tenant, user, "openai", "{\"accessToken\":\"openai-access-" + UUID.randomUUID() + "\"}");
        Calls.link(tenant, "bob", "corp", "{\"accessToken\":\"corp-access-" + UUID.randomUUID() + "\"}");

        given().auth().oauth2(Tokens.custodian()).header(InternalLinkResource.PURPOSE, "disable")
                .when().delete(links(user))
                .then().statusCode(200).contentType("application/json")
                .body("revoked", is(2));

        // RFC 7009 §2.1: the refresh token ends the grant upstream
        upstreams.corp().verify(1, postRequestedFor(urlEqualTo("/revoke")).withRequestBody(containing("token=" + refresh)));
        given().auth().oauth2(Tokens.custodian()).when().get(links(user)).then().statusCode(200).body("links", empty());
        given().auth().oauth2(Tokens.custodian()).when().get(links("bob")).then().statusCode(200)
                .body("links.provider", contains("corp"));
        String who = Tokens.AUTH_SERVICE + " " + user;
        assertEquals(List.of("token.revoked success " + who + " corp user-token disable -",
                "token.revoked success " + who + " openai user-token disable -"), revocationsOf(user));
        upstreams.corp().resetAll();
    }

    @Test
    void revokingAgainOrForAUserWithoutLinksAnswersZeroAndReportsNothing() {
        Calls.link(tenant, user, "openai", "{\"accessToken\":\"openai-access-" + UUID.randomUUID() + "\"}");

        given().auth().oauth2(Tokens.custodian()).when().delete(links(user))
                .then().statusCode(200).body("revoked", is(1));
        given().auth().oauth2(Tokens.custodian()).when().delete(links(user))
                .then().statusCode(200).body("revoked", is(0));
        given().auth().oauth2(Tokens.custodian()).when().delete(links("never-linked"))
                .then().statusCode(200).body("revoked", is(0));

        // without the purpose header the revocation reads as an unlink
        assertEquals(List.of("token.revoked success " + Tokens.AUTH_SERVICE + " " + user + " openai user-token unlink -"),
                revocationsOf(user));
    }

    @Test
    void onlyTheCustodianMayRevokeAndTheUserMustBeAValidId() {
        Calls.link(tenant, user, "openai", "{\"accessToken\":\"openai-access-" + UUID.randomUUID() + "\"}");

        given().when().delete(links(user)).then().statusCode(401).contentType("application/problem+json");
        given().auth().oauth2(Tokens.consumer()).when().delete(links(user))
                .then().statusCode(403).contentType("application/problem+json")
                .body("detail", is("The token lacks the role this endpoint requires"));
        given().auth().oauth2(Tokens.custodian()).when().delete(links("has space"))
                .then().statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(Tokens.custodian()).header(InternalLinkResource.PURPOSE, "Not A Purpose")
                .when().delete(links(user))
                .then().statusCode(400).contentType("application/problem+json");

        given().auth().oauth2(Tokens.custodian()).when().get(links(user)).then().statusCode(200)
                .body("links.provider", contains("openai"));
    }

    private List<String> revocationsOf(String who) {
        return TokenEventLog.about(relay, kafka, tenant).stream()
                .filter(event -> event.path("type").asText().equals("token.revoked"))
                .filter(event -> who.equals(event.path("subject").asText()))
                .map(TokenEventLog::summary).toList();
    }
}
