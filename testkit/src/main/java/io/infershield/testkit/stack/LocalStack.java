package io.infershield.testkit.stack;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The README's first command: the whole suite on this machine, on embedded defaults, until Ctrl-C.
 * Arguments: the repository root and the Keycloak zip. {@code OPENAI_API_KEY} (and optionally {@code OPENAI_BASE_URL})
 * switch the OpenAI-compatible upstream from the simulator to a real provider; {@code ANTHROPIC_API_KEY} (and optionally
 * {@code ANTHROPIC_BASE_URL}, without {@code /v1} as in Anthropic's SDKs) do the same for the Anthropic upstream.
 */
public final class LocalStack {

    private LocalStack() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 2) {
            System.err.println("usage: LocalStack <repository root> <keycloak-quarkus-dist zip>");
            System.exit(2);
        }
        Path root = Path.of(args[0]).toAbsolutePath().normalize();
        String key = providerKey("OPENAI_API_KEY");
        String url = key == null ? null : System.getenv().getOrDefault("OPENAI_BASE_URL", "https://api.openai.com/v1");
        String anthropicKey = providerKey("ANTHROPIC_API_KEY");
        String anthropicUrl = anthropicKey == null ? null
                : System.getenv().getOrDefault("ANTHROPIC_BASE_URL", "https://api.anthropic.com").replaceAll("/+$", "")
                + "/v1";
        System.out.println("Starting Kafka, PostgreSQL, Keycloak and the four services (about a minute)...");
        Stack stack = Stack.start(new Stack.Options(root, root.resolve(".local"), Path.of(args[1]), url, key,
                anthropicUrl, anthropicKey));
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stack.close();
            stop.countDown();
        }));
        System.out.printf("""

                InferShield is up.
                  Gateway (point your IDE here): %s/v1   (OpenAI-compatible; Anthropic's /v1/messages too)
                  Upstreams:                     OpenAI %s
                                                 Anthropic %s
                  Sign in (device flow):         %s/oauth/device_authorization, verification page %s/device
                  Audit dashboard:               %s/   (sign in as admin or carol)
                  Keycloak realm:                %s   users alice, bob, carol, sam, admin; password <user>-dev-password
                  Kafka bootstrap:               %s   topics auth-events, token-events, proxy-events
                  PostgreSQL:                    127.0.0.1:%d   databases auth, token, audit, proxy (user postgres)
                  Logs:                          %s
                Sign in from a terminal, then print your IDE's settings:
                  cli/bin/infershield login --server %s
                  cli/bin/infershield ide continue      (or cursor, codex, claude-code)
                Point Claude Code at the gateway (it appends /v1/messages itself, so no /v1 here):
                  ANTHROPIC_BASE_URL=%s ANTHROPIC_AUTH_TOKEN=<your isk_ credential from infershield login> claude
                Link your own accounts (github: the GitHub simulator; corp-idp: Keycloak's device grant):
                  cli/bin/infershield connect github    then ask for model copilot/gpt-4o
                Ctrl-C stops everything.
                """, stack.proxyUrl(), url == null ? "simulator " + stack.simulator().baseUrl() : url,
                anthropicUrl == null ? "simulator " + stack.anthropicSimulator().baseUrl() : anthropicUrl,
                stack.authUrl(), stack.authUrl(), stack.auditUrl(), stack.keycloakRealmUrl(),
                stack.kafka().bootstrapServers(), stack.postgres().port(), root.resolve(".local/logs"),
                stack.authUrl(), stack.proxyUrl());
        stop.await();
    }

    /**
     * A provider key from the environment, or {@code null} for the simulator. An {@code isk_} value is an InferShield
     * credential that the shell may hold for an IDE pointed at this gateway: used as an upstream key, the gateway would
     * call itself.
     */
    private static String providerKey(String variable) {
        String key = System.getenv(variable);
        if (key != null && key.startsWith("isk_")) {
            System.out.println("Ignoring " + variable + ": it holds an InferShield credential, not a provider key.");
            return null;
        }
        return key == null || key.isBlank() ? null : key;
    }
}
