package io.infershield.token;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infershield.testkit.infra.Kafka;
import io.infershield.testkit.infra.Postgres;
import io.infershield.testkit.sim.OpenAiAuthSimulator;
import io.infershield.testkit.stack.ServiceProcess;
import io.infershield.token.support.ProviderLogins;
import io.infershield.token.support.Tokens;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Security checklist C.3 across replicas: the packaged token-service runs twice against one PostgreSQL, and 100
 * concurrent reads of one expiring token, split between the two, make exactly one refresh at the provider; every
 * caller gets the same new token. The logs of both replicas hold none of the tokens.
 */
class TwoReplicaSingleFlightIT {

    private static final int CALLERS = 100;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Postgres postgres;
    private static Kafka kafka;
    private static OidcWiremockTestResource oidc;
    private static OpenAiAuthSimulator openai;
    private static final List<ServiceProcess> replicas = new ArrayList<>();
    private static final List<Integer> httpPorts = new ArrayList<>();

    @BeforeAll
    static void startTwoReplicas() throws Exception {
        postgres = Postgres.start().createDatabase("token");
        kafka = Kafka.start().createTopics(List.of("token-events"));
        oidc = new OidcWiremockTestResource();
        String keycloak = oidc.start().get("keycloak.url");
        openai = OpenAiAuthSimulator.start(Clock.systemUTC());
        Path root = Path.of("").toAbsolutePath().getParent();
        Path logs = Files.createDirectories(Path.of("target", "it-logs"));
        List<ServiceProcess> starting = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            int http = freePort();
            int management = freePort();
            Map<String, String> env = new HashMap<>();
            env.put("QUARKUS_HTTP_PORT", String.valueOf(http));
            env.put("QUARKUS_MANAGEMENT_PORT", String.valueOf(management));
            env.put("QUARKUS_DATASOURCE_REACTIVE_URL", postgres.reactiveUrl("token"));
            env.put("QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl("token"));
            env.put("QUARKUS_DATASOURCE_USERNAME", Postgres.USER);
            env.put("QUARKUS_DATASOURCE_PASSWORD", Postgres.USER);
            env.put("QUARKUS_OIDC_AUTH_SERVER_URL", keycloak + "/realms/quarkus");
            env.put("QUARKUS_OIDC_CLIENT_ID", "quarkus-service-app");
            env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
            // base64 of "test-only-master-key-32-bytes!!!": both replicas must share the key
            env.put("TOKEN_KEYRING_MASTER_KEY", "dGVzdC1vbmx5LW1hc3Rlci1rZXktMzItYnl0ZXMhISE=");
            env.put("TOKEN_PROVIDERS_OPENAI_TOKEN_URL", openai.baseUrl() + "/oauth/token");
            // the requests below, not the scheduler, are what must trigger the refresh
            env.put("QUARKUS_SCHEDULER_ENABLED", "false");
            Path log = Files.createDirectories(logs.resolve("replica-" + i));
            starting.add(ServiceProcess.launch(root, "token-service", management, env, log));
            httpPorts.add(http);
        }
        for (ServiceProcess replica : starting) {
            replicas.add(replica.awaitReady(Duration.ofSeconds(120)));
        }
    }

    @AfterAll
    static void stopAll() {
        replicas.forEach(ServiceProcess::signalStop);
        replicas.forEach(ServiceProcess::close);
        if (openai != null) {
            openai.close();
        }
        if (oidc != null) {
            oidc.stop();
        }
        if (kafka != null) {
            kafka.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void hundredReadsAcrossTwoReplicasMakeOneRefreshAndShareItsToken() throws Exception {
        var tokens = ProviderLogins.openAiTokens(openai, "ada@example.com");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String path = "/internal/v1/tenants/default/users/ada";
        // expires in a minute: inside the five-minute refresh skew, so the first read refreshes it
        HttpResponse<String> stored = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + httpPorts.get(0) + path + "/links/openai"))
                .header("Authorization", "Bearer " + Tokens.custodian()).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"accessToken\":\"" + tokens.accessToken()
                        + "\",\"refreshToken\":\"" + tokens.refreshToken() + "\",\"expiresIn\":60}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, stored.statusCode(), stored.body());

        String consumer = Tokens.consumer();
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < CALLERS; i++) {
            calls.add(http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPorts.get(i % 2) + path
                            + "/credentials/openai")).header("Authorization", "Bearer " + consumer).GET().build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        Set<String> handedOut = new HashSet<>();
        for (CompletableFuture<HttpResponse<String>> call : calls) {
            HttpResponse<String> response = call.join();
            assertEquals(200, response.statusCode(), response.body());
            JsonNode body = JSON.readTree(response.body());
            handedOut.add(body.get("token").asText() + " v" + body.get("version").asInt());
        }

        assertEquals(1, handedOut.size(), "all callers got one token: " + handedOut);
        String fresh = handedOut.iterator().next();
        assertNotEquals(tokens.accessToken() + " v1", fresh);
        assertTrue(fresh.endsWith(" v2"), fresh);
        assertEquals(1, openai.received("/oauth/token").stream()
                .filter(r -> r.body().contains("grant_type=refresh_token")).count(), "exactly one refresh upstream");

        String newToken = fresh.substring(0, fresh.lastIndexOf(' '));
        for (ServiceProcess replica : replicas) {
            String log = Files.readString(replica.log());
            for (String secret : List.of(tokens.accessToken(), tokens.refreshToken(), newToken, "rt_")) {
                assertFalse(log.contains(secret), replica.log() + " holds a token");
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
