package io.infershield.testkit.stack;

import io.infershield.testkit.infra.Kafka;
import io.infershield.testkit.infra.Keycloak;
import io.infershield.testkit.infra.Ports;
import io.infershield.testkit.infra.Postgres;
import io.infershield.testkit.infra.Secrets;
import io.infershield.testkit.sim.AnthropicSimulator;
import io.infershield.testkit.sim.GitHubSimulator;
import io.infershield.testkit.sim.OpenAiAuthSimulator;
import io.infershield.testkit.sim.OpenAiSimulator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The whole suite on one machine: Kafka, PostgreSQL, Keycloak, an OpenAI-compatible and an Anthropic upstream (the
 * simulators unless real ones are given, each with its own org key), the GitHub and OpenAI sign-in simulators, and the
 * four packaged services on their documented ports, all on loopback, with fresh secrets. Developers can link three
 * providers: {@code github} and {@code openai} (the simulators) and {@code corp-idp} (Keycloak's own device grant, as
 * any standard RFC 8628 IdP).
 * The end-to-end tests and the local stack ({@link LocalStack}) both start it this way.
 */
public final class Stack implements AutoCloseable {

    public static final int PROXY_PORT = 8080;
    public static final int AUTH_PORT = 8081;
    public static final int TOKEN_PORT = 8082;
    public static final int AUDIT_PORT = 8083;
    public static final int KEYCLOAK_PORT = 8180;
    /** Keycloak's public client with the device grant, standing for any corporate IdP (deploy/keycloak). */
    public static final String CORP_IDP_CLIENT = "corp-device-link";

    /**
     * @param root        the repository root (the services' {@code target/quarkus-app} folders live under it)
     * @param workDir     where data and logs go
     * @param keycloakZip the keycloak-quarkus-dist zip
     * @param upstreamUrl  an OpenAI-compatible base URL ending in {@code /v1}, or {@code null} for the simulator
     * @param upstreamKey  the org key for that upstream, or {@code null} for the simulator
     * @param anthropicUrl an Anthropic Messages API base URL ending in {@code /v1}, or {@code null} for the simulator
     * @param anthropicKey the org key for that upstream, or {@code null} for the simulator
     */
    public record Options(Path root, Path workDir, Path keycloakZip, String upstreamUrl, String upstreamKey,
                          String anthropicUrl, String anthropicKey) {

        /** Both upstreams simulated. */
        public Options(Path root, Path workDir, Path keycloakZip) {
            this(root, workDir, keycloakZip, null, null, null, null);
        }
    }

    private final List<AutoCloseable> started = new ArrayList<>();
    private final Map<String, ServiceProcess> services = new LinkedHashMap<>();
    private final Map<String, String> secrets = new HashMap<>();
    private Kafka kafka;
    private Postgres postgres;
    private Keycloak keycloak;
    private OpenAiSimulator simulator;
    private AnthropicSimulator anthropicSimulator;
    private GitHubSimulator github;
    private OpenAiAuthSimulator openaiAuth;
    private Path logDir;
    private Path root;

    private Stack() {
    }

    public static Stack start(Options o) {
        Stack s = new Stack();
        try {
            s.boot(o);
            return s;
        } catch (RuntimeException | IOException e) {
            s.close();
            throw new IllegalStateException("the stack did not start: " + e.getMessage(), e);
        }
    }

    private void boot(Options o) throws IOException {
        root = o.root();
        logDir = Files.createDirectories(o.workDir().resolve("logs"));
        String authClientSecret = secret("INFERSHIELD_AUTH_CLIENT_SECRET");
        String auditClientSecret = secret("INFERSHIELD_AUDIT_CLIENT_SECRET");
        String proxyClientSecret = secret("INFERSHIELD_PROXY_CLIENT_SECRET");
        String introspectionSecret = secret("introspection");
        String upstreamKey = o.upstreamKey() != null ? o.upstreamKey() : "sk-sim-" + Secrets.random();
        secrets.put("upstream-key", upstreamKey);
        String anthropicKey = o.anthropicKey() != null ? o.anthropicKey() : "sk-ant-sim-" + Secrets.random();
        secrets.put("anthropic-upstream-key", anthropicKey);

        CompletableFuture<Keycloak> kc = CompletableFuture.supplyAsync(() -> Keycloak.start(o.keycloakZip(),
                o.workDir().resolve("keycloak"), o.root().resolve("deploy/keycloak/infershield-realm.json"), KEYCLOAK_PORT,
                Map.of("INFERSHIELD_AUTH_CLIENT_SECRET", authClientSecret,
                        "INFERSHIELD_AUDIT_CLIENT_SECRET", auditClientSecret,
                        "INFERSHIELD_PROXY_CLIENT_SECRET", proxyClientSecret),
                logDir.resolve("keycloak.log")));
        kafka = track(Kafka.start().createTopics(List.of("auth-events", "token-events", "proxy-events")));
        postgres = track(Postgres.start().createDatabase("auth").createDatabase("token").createDatabase("audit")
                .createDatabase("proxy"));
        String upstream = o.upstreamUrl();
        if (upstream == null) {
            simulator = track(OpenAiSimulator.start(0, upstreamKey));
            upstream = simulator.baseUrl();
        }
        String anthropic = o.anthropicUrl();
        if (anthropic == null) {
            anthropicSimulator = track(AnthropicSimulator.start(0, anthropicKey));
            anthropic = anthropicSimulator.baseUrl();
        }
        github = track(GitHubSimulator.start(Clock.systemUTC()));
        openaiAuth = track(OpenAiAuthSimulator.start(Clock.systemUTC()));
        keycloak = track(kc.join());

        Map<String, String> common = Map.of("QUARKUS_HTTP_HOST", "127.0.0.1", "QUARKUS_MANAGEMENT_HOST", "127.0.0.1");
        launch("auth-service", AUTH_PORT, common, db("auth"), Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "QUARKUS_OIDC_AUTH_SERVER_URL", keycloak.realmUrl(),
                "QUARKUS_OIDC_CREDENTIALS_SECRET", authClientSecret,
                "AUTH_INTROSPECTION_CLIENT_SECRET", introspectionSecret,
                "AUTH_LINK_STATE_KEY", Secrets.aesKey(),
                "AUTH_PUBLIC_URL", "http://127.0.0.1:" + AUTH_PORT), config("auth-service", authProviders()));
        launch("token-service", TOKEN_PORT, common, db("token"), Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "QUARKUS_OIDC_AUTH_SERVER_URL", keycloak.realmUrl(),
                "TOKEN_KEYRING_MASTER_KEY", Secrets.aesKey(),
                "TOKEN_BOOTSTRAP_ORG_KEYS_OPENAI_API_KEY", upstreamKey,
                "TOKEN_BOOTSTRAP_ORG_KEYS_ANTHROPIC_API_KEY", anthropicKey), config("token-service", tokenProviders()));
        launch("proxy-service", PROXY_PORT, common, db("proxy"), Map.of(
                "QUARKUS_OIDC_AUTH_SERVER_URL", keycloak.realmUrl(),
                "PROXY_AUDIT_HASH_KEY", secret("audit-hash-key")), Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "QUARKUS_REST_CLIENT_AUTH_SERVICE_URL", "http://127.0.0.1:" + AUTH_PORT,
                "QUARKUS_REST_CLIENT_TOKEN_SERVICE_URL", "http://127.0.0.1:" + TOKEN_PORT,
                "PROXY_AUTH_CLIENT_SECRET", introspectionSecret,
                "PROXY_OIDC_AUTH_SERVER_URL", keycloak.realmUrl(),
                "PROXY_OIDC_CLIENT_SECRET", proxyClientSecret,
                "PROXY_UPSTREAM_OPENAI_URL", upstream,
                "PROXY_UPSTREAM_ANTHROPIC_URL", anthropic));
        launch("audit-service", AUDIT_PORT, common, db("audit"), Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "QUARKUS_OIDC_AUTH_SERVER_URL", keycloak.realmUrl(),
                "QUARKUS_OIDC_CREDENTIALS_SECRET", auditClientSecret));
        for (ServiceProcess p : services.values()) {
            p.awaitReady(Duration.ofMinutes(2));
        }
    }

    /** The link providers of auth-service, pointed at the simulators and at Keycloak's device grant. */
    private Map<String, String> authProviders() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("auth.link.providers.github.kind", "github");
        p.put("auth.link.providers.github.device-authorization-url", github.baseUrl() + "/login/device/code");
        p.put("auth.link.providers.github.token-url", github.baseUrl() + "/login/oauth/access_token");
        p.put("auth.link.providers.openai.kind", "openai-codex");
        p.put("auth.link.providers.openai.user-code-url", openaiAuth.baseUrl() + "/api/accounts/deviceauth/usercode");
        p.put("auth.link.providers.openai.device-token-url", openaiAuth.baseUrl() + "/api/accounts/deviceauth/token");
        p.put("auth.link.providers.openai.verification-url", openaiAuth.verificationUrl());
        p.put("auth.link.providers.openai.token-url", openaiAuth.baseUrl() + "/oauth/token");
        p.put("auth.link.providers.openai.redirect-uri", openaiAuth.redirectUri());
        p.put("auth.link.providers.corp-idp.kind", "rfc8628");
        p.put("auth.link.providers.corp-idp.client-id", CORP_IDP_CLIENT);
        p.put("auth.link.providers.corp-idp.discovery-url", keycloak.realmUrl() + "/.well-known/openid-configuration");
        p.put("auth.link.providers.corp-idp.scope", "openid profile");
        return p;
    }

    /** The providers whose tokens token-service refreshes and revokes, pointed like auth-service's. */
    private Map<String, String> tokenProviders() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("token.providers.github.copilot-token-url", github.baseUrl() + "/copilot_internal/v2/token");
        p.put("token.providers.openai.token-url", openaiAuth.baseUrl() + "/oauth/token");
        p.put("token.providers.corp-idp.kind", "rfc8628");
        p.put("token.providers.corp-idp.client-id", CORP_IDP_CLIENT);
        p.put("token.providers.corp-idp.token-url", keycloak.realmUrl() + "/protocol/openid-connect/token");
        p.put("token.providers.corp-idp.revocation-url", keycloak.realmUrl() + "/protocol/openid-connect/revoke");
        return p;
    }

    /**
     * Writes {@code properties} to a file the service reads as an extra configuration source. Map-valued configuration
     * (the providers) is clearer there than in environment variables, whose names cannot carry a provider name's hyphen.
     */
    private Map<String, String> config(String service, Map<String, String> properties) {
        Path file = logDir.resolveSibling("config").resolve(service + ".properties");
        StringBuilder text = new StringBuilder("# written by the testkit Stack for this run\n");
        properties.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return Map.of("QUARKUS_CONFIG_LOCATIONS", file.toUri().toString());
    }

    private String secret(String name) {
        String value = Secrets.random();
        secrets.put(name, value);
        return value;
    }

    private Map<String, String> db(String name) {
        return Map.of("QUARKUS_DATASOURCE_REACTIVE_URL", postgres.reactiveUrl(name),
                "QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl(name),
                "QUARKUS_DATASOURCE_USERNAME", Postgres.USER,
                "QUARKUS_DATASOURCE_PASSWORD", Postgres.USER);
    }

    @SafeVarargs
    private void launch(String name, int port, Map<String, String>... envs) {
        Map<String, String> env = new HashMap<>();
        for (Map<String, String> e : envs) {
            env.putAll(e);
        }
        Ports.requireFree(name, port, port + 1000);
        env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        env.put("QUARKUS_MANAGEMENT_PORT", String.valueOf(port + 1000));
        services.put(name, track(ServiceProcess.launch(root, name, port + 1000, env, logDir)));
    }

    private <T extends AutoCloseable> T track(T resource) {
        started.add(resource);
        return resource;
    }

    public String proxyUrl() {
        return "http://127.0.0.1:" + PROXY_PORT;
    }

    public String authUrl() {
        return "http://127.0.0.1:" + AUTH_PORT;
    }

    public String auditUrl() {
        return "http://127.0.0.1:" + AUDIT_PORT;
    }

    public String keycloakRealmUrl() {
        return keycloak.realmUrl();
    }

    public Kafka kafka() {
        return kafka;
    }

    public Postgres postgres() {
        return postgres;
    }

    /** The OpenAI-compatible simulator, or {@code null} when a real upstream is configured. */
    public OpenAiSimulator simulator() {
        return simulator;
    }

    /** The Anthropic simulator, or {@code null} when a real Anthropic upstream is configured. */
    public AnthropicSimulator anthropicSimulator() {
        return anthropicSimulator;
    }

    /** The GitHub simulator (device flow, Copilot token, Copilot chat). */
    public GitHubSimulator github() {
        return github;
    }

    /** The OpenAI (Codex sign-in) simulator. */
    public OpenAiAuthSimulator openaiAuth() {
        return openaiAuth;
    }

    /** Every secret this stack generated or was given, for tests that prove none of them leaks. */
    public Map<String, String> secrets() {
        return Map.copyOf(secrets);
    }

    /** The log files of Keycloak and the four services. */
    public List<Path> logs() throws IOException {
        try (var files = Files.list(logDir)) {
            return files.sorted().toList();
        }
    }

    @Override
    public void close() {
        // Signal every child process first: they shut down in parallel, and none is orphaned if this JVM is cut short.
        services.values().forEach(ServiceProcess::signalStop);
        if (keycloak != null) {
            keycloak.signalStop();
        }
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                System.err.println("could not stop " + started.get(i) + ": " + e);
            }
        }
        started.clear();
    }
}
