package io.infershield.token.service;

import io.infershield.testkit.quarkus.InjectInfra;
import io.infershield.testkit.quarkus.KafkaResource;
import io.infershield.testkit.quarkus.PostgresResource;
import io.infershield.token.support.ProviderLogins;
import io.infershield.token.support.TestClock;
import io.infershield.token.support.Tokens;
import io.infershield.token.support.UpstreamResource;
import io.infershield.token.support.Upstreams;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static io.infershield.token.support.Calls.link;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** Security checklist C.3: many callers of one expired token cause one refresh upstream, and all get its result. */
@QuarkusTest
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = UpstreamResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class SingleFlightRefreshTest {

    private static final int CALLERS = 100;

    @InjectInfra
    Upstreams upstreams;

    @Inject
    TestClock clock;

    @TestHTTPResource("/")
    URL app;

    private final String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
    private final String user = "dev-" + UUID.randomUUID().toString().substring(0, 8);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** {@code CALLERS} concurrent requests, all started before any is answered; the bodies in order. */
    private List<String> concurrently(HttpRequest request) {
        String token = Tokens.consumer();
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < CALLERS; i++) {
            calls.add(http.sendAsync(HttpRequest.newBuilder(request, (n, v) -> true)
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString()));
        }
        List<String> bodies = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> call : calls) {
            HttpResponse<String> response = call.join();
            assertEquals(200, response.statusCode(), response.body());
            bodies.add(response.body());
        }
        return bodies;
    }

    private static String field(String json, String name) {
        int start = json.indexOf("\"" + name + "\":") + name.length() + 3;
        int end = json.indexOf(json.charAt(start) == '"' ? '"' : ',', start + 1);
        return json.substring(json.charAt(start) == '"' ? start + 1 : start, end);
    }

    @Test
    void hundredCallersOfAnExpiredTokenCauseOneRefresh() {
        var tokens = ProviderLogins.openAiTokens(upstreams.openai(), user + "@example.com");
        link(tenant, user, "openai", "{\"accessToken\":\"" + tokens.accessToken() + "\",\"refreshToken\":\""
                + tokens.refreshToken() + "\",\"expiresIn\":" + tokens.expiresIn() + "}");
        clock.advance(Duration.ofSeconds(tokens.expiresIn()));
        upstreams.clock().advance(Duration.ofSeconds(tokens.expiresIn()));

        List<String> bodies = concurrently(HttpRequest.newBuilder(
                URI.create(app + "internal/v1/tenants/" + tenant + "/users/" + user + "/credentials/openai")).GET().build());

        Set<String> handedOut = new HashSet<>();
        bodies.forEach(body -> handedOut.add(field(body, "token") + " v" + field(body, "version")));
        assertEquals(1, handedOut.size(), "every caller got the same token: " + handedOut);
        String fresh = field(bodies.get(0), "token");
        assertNotEquals(tokens.accessToken(), fresh);
        assertEquals("2", field(bodies.get(0), "version"));
        assertEquals(1, upstreams.openai().received("/oauth/token").stream()
                .filter(r -> r.body().contains(tokens.refreshToken())).count(), "exactly one refresh upstream");
    }

    @Test
    void hundredReportsOfOneRejectedCopilotTokenCauseOneExchange() {
        String github = ProviderLogins.githubToken(upstreams.github(), upstreams.clock(), user);
        link(tenant, user, "github", "{\"accessToken\":\"" + github + "\"}");
        long before = upstreams.github().received("/copilot_internal/v2/token").stream()
                .filter(r -> ("token " + github).equals(r.header("authorization"))).count();

        List<String> bodies = concurrently(HttpRequest.newBuilder(URI.create(app + "internal/v1/tenants/" + tenant
                        + "/users/" + user + "/credentials/github/refresh"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"rejectedVersion\":1}")).build());

        assertEquals(1, bodies.stream().map(body -> field(body, "token")).distinct().count());
        assertEquals("2", field(bodies.get(0), "version"));
        assertEquals(before + 1, upstreams.github().received("/copilot_internal/v2/token").stream()
                .filter(r -> ("token " + github).equals(r.header("authorization"))).count());
    }
}
