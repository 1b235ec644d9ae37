package io.infershield.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infershield.testkit.infra.Dirs;
import io.infershield.testkit.sim.AnthropicSimulator;
import io.infershield.testkit.sim.GitHubSimulator;
import io.infershield.testkit.sim.OpenAiSimulator;
import io.infershield.testkit.stack.Stack;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The suite, black box: Kafka, PostgreSQL, Keycloak, the provider simulators and the four packaged services, driven by
 * real clients (openid-client, Chromium through Playwright, the openai and Anthropic SDKs, the infershield CLI) from
 * {@code e2e/js}. The last step dumps every database, log and event of the run and looks for any token in plaintext.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeviceFlowEndToEndIT {

    private static final Path ROOT = Path.of(System.getProperty("infershield.root", "..")).toAbsolutePath().normalize();
    private static final Path WORK = ROOT.resolve("e2e/target/stack");
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    /** A GitHub PAT-shaped secret the Anthropic client sends in prompts: it must be redacted before anything sees it. */
    private static final String PAT = "ghp_" + alphanumerics(36);
    /**
     * Token shapes that must never appear outside their owner's hands: gateway credentials, GitHub OAuth, user-to-server
     * and refresh tokens, GitHub PATs (one is sent in a prompt and must be redacted before anything stores it), OpenAI
     * keys, Copilot tokens ({@code tid=…;exp=…}), and the simulators' OpenAI sign-in tokens.
     */
    private static final Pattern ANY_TOKEN = Pattern.compile(
            "(?<![A-Za-z0-9])(?:isk_[A-Za-z0-9_-]{20,}|isr_[A-Za-z0-9_-]{20,}|gh[ourp]_[A-Za-z0-9]{30,}|sk-[A-Za-z0-9_-]{16,}"
                    + "|tid=[0-9a-f]{8,};exp=|eyJ[A-Za-z0-9_-]{10,}\\.eyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{10,})");

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Stack stack;
    private static final List<String> issued = new ArrayList<>();

    @BeforeAll
    static void startStack() throws IOException {
        Dirs.deleteRecursively(WORK);
        stack = Stack.start(new Stack.Options(ROOT, WORK,
                Path.of(System.getProperty("keycloak.dist", "target/dist/keycloak-quarkus-dist.zip"))));
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    private static void runClients(String script) throws Exception {
        runClients(script, Map.of());
    }

    private static void runClients(String script, Map<String, String> env) throws Exception {
        Path credentialFile = WORK.resolve("issued-credential-" + script);
        Path report = WORK.resolve("logs/e2e-clients-" + script + ".log");
        ProcessBuilder node = new ProcessBuilder("node", "--test", "--test-reporter=spec", script)
                .directory(ROOT.resolve("e2e/js").toFile())
                .redirectErrorStream(true)
                .redirectOutput(report.toFile());
        // The Anthropic SDK reads ANTHROPIC_* from the environment: this machine's own settings must not reach it.
        node.environment().keySet().removeIf(name -> name.startsWith("ANTHROPIC_"));
        node.environment().putAll(env);
        node.environment().putAll(Map.of(
                "INFERSHIELD_AUTH_URL", stack.authUrl(),
                "INFERSHIELD_PROXY_URL", stack.proxyUrl(),
                "INFERSHIELD_AUDIT_URL", stack.auditUrl(),
                "GITHUB_SIMULATOR_URL", stack.github().baseUrl(),
                "INFERSHIELD_CLI_JAR", ROOT.resolve("cli/target/infershield-cli-0.1.0-SNAPSHOT-runner.jar").toString(),
                "E2E_CREDENTIAL_FILE", credentialFile.toString(),
                "E2E_RUN_ID", RUN));
        Process p = node.start();
        boolean finished = p.waitFor(10, TimeUnit.MINUTES);
        // The clients' report goes through System.out so that it lands in the test report, not on the forked JVM's stream.
        System.out.println(Files.readString(report));
        assertTrue(finished, "the JavaScript clients finished in time");
        assertEquals(0, p.exitValue(), "every step of e2e/js/" + script + " passed (its report is above)");
        if (Files.exists(credentialFile)) {
            issued.add(Files.readString(credentialFile).trim());
        }
    }

    @Test
    @Order(1)
    void developerSignsInWithTheDeviceFlowAndStreamsThroughTheGateway() throws Exception {
        runClients("device-flow.test.mjs");

        // the clients sent PATs in chat, Responses, completion and embedding requests: none reached the upstream
        List<OpenAiSimulator.Received> received = stack.simulator().received();
        assertEquals(Set.of("/v1/chat/completions", "/v1/models", "/v1/responses", "/v1/completions", "/v1/embeddings"),
                received.stream().map(OpenAiSimulator.Received::path).collect(Collectors.toSet()));
        for (OpenAiSimulator.Received r : received) {
            assertFalse(Pattern.compile("ghp_[A-Za-z0-9]{36}").matcher(r.body()).find(), r.path() + ": " + r.body());
        }
    }

    @Test
    @Order(2)
    void developersLinkTheirOwnAccountsAndEachCopilotCallCarriesOnlyItsOwnToken() throws Exception {
        int before = stack.github().copilotCalls().size();
        runClients("links.test.mjs");

        List<GitHubSimulator.CopilotCall> calls = stack.github().copilotCalls();
        calls = calls.subList(before, calls.size());
        assertEquals(4, calls.size(), "alice and bob asked Copilot twice each");
        for (GitHubSimulator.CopilotCall call : calls) {
            String user = call.prompt().startsWith("alice-") ? "alice" : "bob";
            assertEquals(user + "-copilot-" + RUN, call.prompt());
            assertEquals("octo-" + user + "-" + RUN, call.githubLogin(),
                    user + "'s prompt went to Copilot under " + user + "'s own GitHub account only");
            assertEquals("gpt-4o", call.model());
        }
    }

    @Test
    @Order(3)
    void claudeCodeStyleTrafficReachesAnthropicWithTheOrgKeyAndRedactedPrompts() throws Exception {
        runClients("anthropic.test.mjs", Map.of("E2E_GITHUB_PAT", PAT));

        List<AnthropicSimulator.Received> received = stack.anthropicSimulator().received();
        // e2e/js/anthropic.test.mjs, step by step; the requests without a valid credential, the injection and the
        // poisoned tool never left
        assertEquals(List.of(
                "POST /v1/messages Hello from Claude Code",
                "GET /v1/models ",
                "POST /v1/messages Hello with an API key",
                "POST /v1/messages Hello with x-api-key",
                "POST /v1/messages Stream this answer",
                "POST /v1/messages deploy with [REDACTED:github-pat] please",
                "POST /v1/messages use tool: echo [REDACTED:github-pat]",
                "POST /v1/messages/count_tokens Count these four words"),
                received.stream().map(r -> r.method() + " " + r.path() + " " + lastMessageText(r.body())).toList());
        String orgKey = stack.secrets().get("anthropic-upstream-key");
        for (AnthropicSimulator.Received r : received) {
            assertEquals("x-api-key", r.scheme(), "the org key goes in x-api-key, as Anthropic requires");
            assertEquals(orgKey, r.apiKey(), "the upstream gets the org key, never the developer's isk_ credential");
            // the version the SDK sent, passed on
            assertEquals("2026-10-21", r.anthropicVersion());
            assertFalse(r.body().contains(PAT), "the PAT was redacted before the upstream saw it");
            assertFalse(r.body().contains("isk_"), "no gateway credential in a forwarded body");
        }
    }

    @Test
    @Order(4)
    void noTokenOrSecretIsStoredLoggedOrPublishedInPlaintext() throws Exception {
        Map<String, String> haystacks = new HashMap<>();
        for (Path log : stack.logs()) {
            if (!log.getFileName().toString().startsWith("e2e-clients")) {
                haystacks.put("log " + log.getFileName(), Files.readString(log));
            }
        }
        for (String db : List.of("auth", "token", "audit")) {
            haystacks.put("database " + db, dump(db));
        }
        haystacks.put("Kafka topics", events());
        assertTrue(haystacks.get("Kafka topics").contains("auth.link.linked"), "the event dump is not empty");
        assertTrue(haystacks.get("database token").contains("github"), "the token dump is not empty");

        List<String> secrets = new ArrayList<>(stack.secrets().values());
        secrets.addAll(issued);
        secrets.add(PAT);
        for (Map.Entry<String, String> h : haystacks.entrySet()) {
            for (String secret : secrets) {
                assertFalse(h.getValue().contains(secret), h.getKey() + " contains a secret of the stack");
            }
            Matcher m = ANY_TOKEN.matcher(h.getValue());
            assertFalse(m.find(), () -> h.getKey() + " contains a token in plaintext: "
                    + h.getValue().substring(m.start(), Math.min(m.start() + 12, h.getValue().length())) + "…");
        }
    }

    /** The string content of the last message of a Messages request body, or "" when there is none (a GET). */
    private static String lastMessageText(String body) {
        try {
            JsonNode messages = body.isEmpty() ? JSON.missingNode() : JSON.readTree(body).path("messages");
            return messages.path(messages.size() - 1).path("content").asText("");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String alphanumerics(int n) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        SecureRandom random = new SecureRandom();
        StringBuilder out = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            out.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return out.toString();
    }

    /** Every row of every table of {@code database}, as text. */
    private static String dump(String database) throws Exception {
        StringBuilder out = new StringBuilder();
        try (Connection c = stack.postgres().connect(database); Statement s = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet t = s.executeQuery(
                    "select table_name from information_schema.tables where table_schema = 'public'")) {
                while (t.next()) {
                    tables.add(t.getString(1));
                }
            }
            for (String table : tables) {
                try (ResultSet r = s.executeQuery("select * from \"" + table + "\"")) {
                    int columns = r.getMetaData().getColumnCount();
                    while (r.next()) {
                        out.append(table);
                        for (int i = 1; i <= columns; i++) {
                            Object v = r.getObject(i);
                            out.append('|').append(v instanceof byte[] b ? new String(b, java.nio.charset.StandardCharsets.ISO_8859_1) : v);
                        }
                        out.append('\n');
                    }
                }
            }
        }
        return out.toString();
    }

    /** Every event on every topic, as published. */
    private static String events() {
        StringBuilder out = new StringBuilder();
        Map<String, Object> props = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "e2e-dump-" + RUN,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("auth-events", "token-events", "proxy-events"));
            int empty = 0;
            while (empty < 6) {
                var records = consumer.poll(Duration.ofMillis(500));
                empty = records.isEmpty() ? empty + 1 : 0;
                for (ConsumerRecord<String, String> r : records) {
                    out.append(r.topic()).append('|').append(r.value()).append('\n');
                }
            }
        }
        return out.toString();
    }
}
