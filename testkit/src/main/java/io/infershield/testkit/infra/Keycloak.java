package io.infershield.testkit.infra;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A real Keycloak server, unpacked from the {@code org.keycloak:keycloak-quarkus-dist} zip and run as a child process in
 * development mode on loopback, with the committed {@code infershield} realm imported at start.
 */
public final class Keycloak implements AutoCloseable {

    public static final String REALM = "infershield";

    private final Process process;
    private final int port;

    private Keycloak(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Unpacks (once) and starts Keycloak, then waits until the realm answers.
     *
     * @param distZip  the keycloak-quarkus-dist zip
     * @param home     where to unpack it; reused when it already holds an unpacked server
     * @param realm    the realm export to import ({@code infershield-realm.json})
     * @param port     the HTTP port on 127.0.0.1
     * @param env      extra environment, for example the client secrets the realm file refers to as {@code ${NAME}}
     * @param log      where the server's output goes
     */
    public static Keycloak start(Path distZip, Path home, Path realm, int port, Map<String, String> env, Path log) {
        Ports.requireFree("Keycloak", port, port + 1000);
        try {
            Path server = unpack(distZip, home);
            // A fresh dev database on every start, so the committed realm and this run's client secrets are imported.
            Dirs.deleteRecursively(server.resolve("data/h2"));
            Path imports = Files.createDirectories(server.resolve("data/import"));
            Files.copy(realm, imports.resolve(REALM + "-realm.json"), StandardCopyOption.REPLACE_EXISTING);
            List<String> cmd = new ArrayList<>(List.of("bash", server.resolve("bin/kc.sh").toString(), "start-dev",
                    "--http-host=127.0.0.1", "--http-port=" + port, "--http-management-port=" + (port + 1000),
                    "--import-realm"));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
            pb.environment().putAll(env);
            pb.environment().putIfAbsent("KC_BOOTSTRAP_ADMIN_USERNAME", "kcadmin");
            pb.environment().putIfAbsent("KC_BOOTSTRAP_ADMIN_PASSWORD", Secrets.random());
            pb.environment().putIfAbsent("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx512m");
            Keycloak keycloak = new Keycloak(pb.start(), port);
            keycloak.awaitRealm(Duration.ofMinutes(4), log);
            return keycloak;
        } catch (IOException e) {
            throw new IllegalStateException("Keycloak did not start", e);
        }
    }

    /** The issuer URL of the {@code infershield} realm. */
    public String realmUrl() {
        return "http://127.0.0.1:" + port + "/realms/" + REALM;
    }

    private void awaitRealm(Duration timeout, Path log) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest probe = HttpRequest.newBuilder(URI.create(realmUrl() + "/.well-known/openid-configuration"))
                .timeout(Duration.ofSeconds(5)).build();
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Keycloak exited with " + process.exitValue() + "; see " + log);
            }
            try {
                if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(500);
        }
        close();
        throw new IllegalStateException("Keycloak was not ready within " + timeout + "; see " + log);
    }

    private static Path unpack(Path zip, Path home) throws IOException {
        if (Files.isRegularFile(home.resolve(".unpacked"))) {
            return home;
        }
        Files.createDirectories(home);
        try (InputStream in = Files.newInputStream(zip); ZipInputStream z = new ZipInputStream(in)) {
            for (ZipEntry e; (e = z.getNextEntry()) != null; ) {
                // entries are keycloak-<version>/...: drop the top folder
                String name = e.getName();
                int slash = name.indexOf('/');
                if (slash < 0 || slash == name.length() - 1) {
                    continue;
                }
                Path target = home.resolve(name.substring(slash + 1)).normalize();
                if (!target.startsWith(home)) {
                    throw new IOException("zip entry outside the target: " + name);
                }
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(z, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        Files.writeString(home.resolve(".unpacked"), zip.getFileName().toString());
        return home;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Asks Keycloak to stop (SIGTERM to the launcher script and the server) without waiting. */
    public void signalStop() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
    }

    @Override
    public void close() {
        Processes.stop(process);
    }
}
