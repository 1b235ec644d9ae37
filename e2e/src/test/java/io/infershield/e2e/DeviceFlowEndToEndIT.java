package io.infershield.e2e;

import io.infershield.testkit.infra.Dirs;
import io.infershield.testkit.stack.Stack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The walking skeleton, black box: Kafka, PostgreSQL, Keycloak, the upstream simulator and the four packaged services,
 * driven by real clients (openid-client, Chromium through Playwright, the openai SDK) from {@code e2e/js}.
 */
class DeviceFlowEndToEndIT {

    private static final Path ROOT = Path.of(System.getProperty("infershield.root", "..")).toAbsolutePath().normalize();
    private static final Path WORK = ROOT.resolve("e2e/target/stack");
    private static final Pattern ANY_GATEWAY_CREDENTIAL = Pattern.compile("isk_[A-Za-z0-9_-]{20,}");

    private static Stack stack;

    @BeforeAll
    static void startStack() throws IOException {
        Dirs.deleteRecursively(WORK);
        stack = Stack.start(new Stack.Options(ROOT, WORK,
                Path.of(System.getProperty("keycloak.dist", "target/dist/keycloak-quarkus-dist.zip")), null, null));
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void developerSignsInWithTheDeviceFlowAndStreamsThroughTheGatewayWithoutLeakingASecret() throws Exception {
        Path credentialFile = WORK.resolve("issued-credential");
        ProcessBuilder node = new ProcessBuilder("node", "--test", "--test-reporter=spec", "device-flow.test.mjs")
                .directory(ROOT.resolve("e2e/js").toFile())
                .redirectErrorStream(true)
                .redirectOutput(WORK.resolve("logs/e2e-clients.log").toFile());
        node.environment().putAll(Map.of(
                "INFERSHIELD_AUTH_URL", stack.authUrl(),
                "INFERSHIELD_PROXY_URL", stack.proxyUrl(),
                "INFERSHIELD_AUDIT_URL", stack.auditUrl(),
                "INFERSHIELD_CLI_JAR", ROOT.resolve("cli/target/infershield-cli-0.1.0-SNAPSHOT-runner.jar").toString(),
                "E2E_CREDENTIAL_FILE", credentialFile.toString()));
        Process p = node.start();
        boolean finished = p.waitFor(10, TimeUnit.MINUTES);
        // The clients' report goes through System.out so that it lands in the test report, not on the forked JVM's stream.
        System.out.println(Files.readString(WORK.resolve("logs/e2e-clients.log")));
        assertTrue(finished, "the JavaScript clients finished in time");
        assertEquals(0, p.exitValue(), "every step of e2e/js/device-flow.test.mjs passed (its report is above)");

        List<String> secrets = new ArrayList<>(stack.secrets().values());
        secrets.add(Files.readString(credentialFile).trim());
        for (Path log : stack.logs()) {
            if (log.getFileName().toString().equals("e2e-clients.log")) {
                continue;
            }
            String text = Files.readString(log);
            for (String secret : secrets) {
                assertFalse(text.contains(secret), log.getFileName() + " contains a secret");
            }
            assertFalse(ANY_GATEWAY_CREDENTIAL.matcher(text).find(), log.getFileName() + " contains a gateway credential");
        }
    }
}
