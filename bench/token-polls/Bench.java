// Token-endpoint polling benchmark for auth-service. Launched by run.sh as a Java 17 single-file program:
//   java -cp <testkit classes + runtime classpath> Bench.java
// Settings come from environment variables (see README.md); run.sh sets the paths.

import io.infershield.testkit.infra.Postgres;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class Bench {

    static final String CLIENT_ID = "infershield-cli";
    static final String DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
    static final Pattern ERROR = Pattern.compile("\"error\"\\s*:\\s*\"([^\"]+)\"");
    static final Pattern DEVICE_CODE = Pattern.compile("\"device_code\"\\s*:\\s*\"([^\"]+)\"");
    static final Pattern INTERVAL = Pattern.compile("\"interval\"\\s*:\\s*(\\d+)");

    static final int GRANTS = intEnv("BENCH_GRANTS", 2000);
    static final int[] LEVELS = Arrays.stream(env("BENCH_LEVELS", "16,64").split(","))
            .map(String::trim).mapToInt(Integer::parseInt).toArray();
    static final int WARMUP_S = intEnv("BENCH_WARMUP_S", 5);
    static final int DURATION_S = intEnv("BENCH_DURATION_S", 20);
    static final int HTTP_PORT = intEnv("BENCH_HTTP_PORT", 18081);
    static final int MGMT_PORT = intEnv("BENCH_MGMT_PORT", 19181);
    static final Path ROOT = Path.of(env("BENCH_ROOT", "../..")).toAbsolutePath().normalize();
    static final Path WORK = Path.of(env("BENCH_WORK", System.getProperty("java.io.tmpdir")));
    static final Path RESULTS = Path.of(env("BENCH_RESULTS", "results.md"));

    static final String BASE = "http://127.0.0.1:" + HTTP_PORT;
    static final AtomicBoolean cleanedUp = new AtomicBoolean();
    static volatile Process authService;
    static volatile Postgres postgres;

    public static void main(String[] args) throws Exception {
        Runtime.getRuntime().addShutdownHook(new Thread(Bench::cleanUp, "bench-cleanup"));
        int exit = 1;
        try {
            exit = run();
        } catch (Throwable t) {
            System.err.println("bench: FAILED: " + t);
            t.printStackTrace();
            tailAuthLog();
        } finally {
            cleanUp();
        }
        System.exit(exit);
    }

    static int run() throws Exception {
        String loadBefore = Files.readString(Path.of("/proc/loadavg")).trim();
        requireFree(HTTP_PORT);
        requireFree(MGMT_PORT);

        long t0 = System.nanoTime();
        log("starting PostgreSQL (testkit)");
        postgres = Postgres.start().createDatabase("auth");
        long postmasterPid = recordPostgres();
        log("PostgreSQL on port " + postgres.port() + ", postmaster pid " + postmasterPid);

        startAuthService();
        waitReady(Duration.ofSeconds(90));
        log(String.format("auth-service ready (%.1f s since start of setup)", (System.nanoTime() - t0) / 1e9));

        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();

        long tg = System.nanoTime();
        String[] bodies = createGrants(http, GRANTS, 16);
        log(String.format("created %d device grants in %.1f s", bodies.length, (System.nanoTime() - tg) / 1e9));

        AtomicLong cursor = new AtomicLong();
        List<Result> results = new ArrayList<>();
        for (int clients : LEVELS) {
            requireAlive();
            Result r = measure(http, bodies, cursor, clients, postmasterPid);
            results.add(r);
            log(String.format("%d clients: %.0f polls/s, p50 %.2f ms, p99 %.2f ms, pending %d, slow_down %d, errors %d",
                    r.clients, r.pollsPerSecond(), r.p50ms, r.p99ms, r.pending, r.slowDown, r.errors()));
        }
        String loadAfter = Files.readString(Path.of("/proc/loadavg")).trim();
        String report = report(results, loadBefore, loadAfter);
        System.out.println();
        System.out.println(table(results));
        Files.writeString(RESULTS, report);
        log("wrote " + RESULTS);
        return results.stream().anyMatch(r -> r.errors() > 0 || r.total() == 0) ? 2 : 0;
    }

    // ---------------------------------------------------------------------------------------------------- setup

    static void requireFree(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            s.setReuseAddress(true);
        } catch (IOException e) {
            throw new IllegalStateException("port " + port + " is in use (set BENCH_HTTP_PORT / BENCH_MGMT_PORT)");
        }
    }

    /** Writes the data directory and postmaster pid, so run.sh can stop PostgreSQL even if this JVM is killed. */
    static long recordPostgres() throws Exception {
        String dataDir;
        try (Connection c = postgres.connect("postgres"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("show data_directory")) {
            rs.next();
            dataDir = rs.getString(1);
        }
        Files.writeString(WORK.resolve("pgdata.path"), dataDir + "\n");
        String first = Files.readAllLines(Path.of(dataDir, "postmaster.pid")).get(0).trim();
        return Long.parseLong(first);
    }

    static void startAuthService() throws IOException {
        Path jar = ROOT.resolve("auth-service/target/quarkus-app/quarkus-run.jar");
        Path logFile = WORK.resolve("auth-service.log");
        ProcessBuilder pb = new ProcessBuilder("java", "-Xmx256m", "-jar", jar.toString())
                .directory(WORK.toFile())
                .redirectErrorStream(true)
                .redirectOutput(logFile.toFile());
        Map<String, String> env = pb.environment();
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.put("QUARKUS_HTTP_PORT", String.valueOf(HTTP_PORT));
        env.put("QUARKUS_MANAGEMENT_PORT", String.valueOf(MGMT_PORT));
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", postgres.reactiveUrl("auth"));
        env.put("QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl("auth"));
        env.put("QUARKUS_DATASOURCE_USERNAME", Postgres.USER);
        env.put("QUARKUS_DATASOURCE_PASSWORD", "postgres");
        env.put("AUTH_INTROSPECTION_CLIENT_SECRET", randomSecret());
        env.put("QUARKUS_OIDC_CREDENTIALS_SECRET", randomSecret());
        env.put("AUTH_PUBLIC_URL", BASE);
        log("starting auth-service on " + BASE + " (management " + MGMT_PORT + "), log " + logFile);
        authService = pb.start();
        Files.writeString(WORK.resolve("auth-service.pid"), authService.pid() + "\n");
    }

    static void waitReady(Duration timeout) throws Exception {
        HttpClient probe = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + MGMT_PORT + "/q/health/ready"))
                .timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            requireAlive();
            try {
                if (probe.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("auth-service not ready after " + timeout.toSeconds() + " s");
    }

    static void requireAlive() {
        if (authService != null && !authService.isAlive()) {
            throw new IllegalStateException("auth-service exited with " + authService.exitValue());
        }
    }

    static String[] createGrants(HttpClient http, int n, int threads) throws Exception {
        String[] bodies = new String[n];
        AtomicInteger next = new AtomicInteger();
        Map<Long, Integer> intervals = new ConcurrentHashMap<>();
        List<Throwable> failures = new ArrayList<>();
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(BASE + "/oauth/device_authorization"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded");
        String form = "client_id=" + CLIENT_ID + "&scope=gateway";
        Thread[] ts = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            ts[t] = new Thread(() -> {
                try {
                    for (int i; (i = next.getAndIncrement()) < n; ) {
                        HttpResponse<String> r = http.send(req.copy().POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                                HttpResponse.BodyHandlers.ofString());
                        Matcher m = DEVICE_CODE.matcher(r.body());
                        if (r.statusCode() != 200 || !m.find()) {
                            throw new IllegalStateException("device_authorization answered " + r.statusCode() + ": " + r.body());
                        }
                        Matcher iv = INTERVAL.matcher(r.body());
                        if (iv.find()) {
                            intervals.merge(Long.parseLong(iv.group(1)), 1, Integer::sum);
                        }
                        bodies[i] = "grant_type=" + enc(DEVICE_GRANT) + "&device_code=" + enc(m.group(1))
                                + "&client_id=" + CLIENT_ID;
                    }
                } catch (Throwable e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                    next.set(n);
                }
            });
            ts[t].start();
        }
        for (Thread t : ts) {
            t.join();
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("creating device grants failed", failures.get(0));
        }
        log("device grants' interval (s -> count): " + new TreeMap<>(intervals));
        return bodies;
    }

    // ---------------------------------------------------------------------------------------------------- load

    static final class Result {
        int clients;
        double seconds;
        long pending, slowDown;
        Map<String, Long> errorKinds = new TreeMap<>();
        double p50ms, p99ms, maxms;
        double machineBusyCores, authCores, pgCores, loadGenCores;

        long errors() {
            return errorKinds.values().stream().mapToLong(Long::longValue).sum();
        }

        long total() {
            return pending + slowDown + errors();
        }

        double pollsPerSecond() {
            return total() / seconds;
        }
    }

    static final class Worker extends Thread {
        final HttpClient http;
        final String[] bodies;
        final AtomicLong cursor;
        final HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(BASE + "/oauth/token"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded");
        volatile long measureFrom = Long.MAX_VALUE, measureTo = Long.MAX_VALUE;
        volatile boolean stop;
        long pending, slowDown;
        final Map<String, Long> errors = new HashMap<>();
        long[] latencies = new long[1 << 14];
        int n;

        Worker(HttpClient http, String[] bodies, AtomicLong cursor) {
            this.http = http;
            this.bodies = bodies;
            this.cursor = cursor;
            setDaemon(true);
        }

        @Override
        public void run() {
            while (!stop) {
                String body = bodies[(int) (cursor.getAndIncrement() % bodies.length)];
                long start = System.nanoTime();
                String outcome;
                try {
                    HttpResponse<String> r = http.send(req.copy().POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    Matcher m = ERROR.matcher(r.body());
                    String error = m.find() ? m.group(1) : "-";
                    outcome = r.statusCode() == 400 && ("authorization_pending".equals(error) || "slow_down".equals(error))
                            ? error : "HTTP " + r.statusCode() + " " + error;
                } catch (Exception e) {
                    outcome = e.getClass().getSimpleName();
                }
                long end = System.nanoTime();
                if (end < measureFrom || end >= measureTo) {
                    continue; // warm-up, or after the window
                }
                switch (outcome) {
                    case "authorization_pending" -> pending++;
                    case "slow_down" -> slowDown++;
                    default -> errors.merge(outcome, 1L, Long::sum);
                }
                if (n == latencies.length) {
                    latencies = Arrays.copyOf(latencies, n * 2);
                }
                latencies[n++] = end - start;
            }
        }
    }

    static Result measure(HttpClient http, String[] bodies, AtomicLong cursor, int clients, long postmasterPid)
            throws Exception {
        log(String.format("%d clients: %d s warm-up, then %d s measured", clients, WARMUP_S, DURATION_S));
        List<Worker> workers = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            Worker w = new Worker(http, bodies, cursor);
            workers.add(w);
            w.start();
        }
        Thread.sleep(WARMUP_S * 1000L);
        long from = System.nanoTime();
        long to = from + DURATION_S * 1_000_000_000L;
        for (Worker w : workers) {
            w.measureTo = to;
            w.measureFrom = from;
        }
        Cpu before = Cpu.sample(postmasterPid);
        Thread.sleep(Math.max(0, (to - System.nanoTime()) / 1_000_000));
        Cpu after = Cpu.sample(postmasterPid);
        for (Worker w : workers) {
            w.stop = true;
        }
        for (Worker w : workers) {
            w.join(15_000);
        }
        Result r = new Result();
        r.clients = clients;
        r.seconds = (to - from) / 1e9;
        int total = 0;
        for (Worker w : workers) {
            total += w.n;
        }
        long[] all = new long[total];
        int k = 0;
        for (Worker w : workers) {
            r.pending += w.pending;
            r.slowDown += w.slowDown;
            w.errors.forEach((kind, count) -> r.errorKinds.merge(kind, count, Long::sum));
            System.arraycopy(w.latencies, 0, all, k, w.n);
            k += w.n;
        }
        Arrays.sort(all);
        r.p50ms = percentile(all, 0.50) / 1e6;
        r.p99ms = percentile(all, 0.99) / 1e6;
        r.maxms = all.length == 0 ? 0 : all[all.length - 1] / 1e6;
        double wall = (after.wallNanos - before.wallNanos) / 1e9;
        double tick = 100.0; // USER_HZ
        r.machineBusyCores = (after.machineBusy - before.machineBusy) / tick / wall;
        r.authCores = (after.auth - before.auth) / tick / wall;
        r.pgCores = (after.pg - before.pg) / tick / wall;
        r.loadGenCores = (after.self - before.self) / tick / wall;
        return r;
    }

    static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    /** CPU time in clock ticks from /proc: whole machine (busy), auth-service, PostgreSQL (postmaster + children), this JVM. */
    record Cpu(long wallNanos, long machineBusy, long auth, long pg, long self) {
        static Cpu sample(long postmasterPid) {
            long wall = System.nanoTime();
            long busy = 0;
            try {
                String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
                // cpu user nice system idle iowait irq softirq steal ...
                for (int i = 1; i < f.length && i <= 8; i++) {
                    if (i != 4 && i != 5) {
                        busy += Long.parseLong(f[i]);
                    }
                }
            } catch (Exception ignored) {
                // not Linux
            }
            long auth = authService == null ? 0 : ticks(authService.pid());
            long pg = 0;
            try (var dirs = Files.list(Path.of("/proc"))) {
                for (Path d : (Iterable<Path>) dirs::iterator) {
                    String name = d.getFileName().toString();
                    if (!name.chars().allMatch(Character::isDigit)) {
                        continue;
                    }
                    long pid = Long.parseLong(name);
                    String[] st = stat(pid);
                    if (st != null && (pid == postmasterPid || Long.parseLong(st[1]) == postmasterPid)) {
                        pg += Long.parseLong(st[11]) + Long.parseLong(st[12]);
                    }
                }
            } catch (Exception ignored) {
                // best effort
            }
            return new Cpu(wall, busy, auth, pg, ticks(ProcessHandle.current().pid()));
        }

        /** Fields of /proc/pid/stat after the command name: [0]=state, [1]=ppid, ..., [11]=utime, [12]=stime. */
        static String[] stat(long pid) {
            try {
                String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
                return s.substring(s.lastIndexOf(')') + 2).split(" ");
            } catch (Exception e) {
                return null;
            }
        }

        static long ticks(long pid) {
            String[] st = stat(pid);
            return st == null ? 0 : Long.parseLong(st[11]) + Long.parseLong(st[12]);
        }
    }

    // ---------------------------------------------------------------------------------------------------- report

    static String table(List<Result> results) {
        StringBuilder sb = new StringBuilder();
        sb.append("| clients | polls/s | p50 ms | p99 ms | max ms | polls | authorization_pending | slow_down | errors | CPU busy (cores of ")
                .append(Runtime.getRuntime().availableProcessors())
                .append(") | auth-service | postgres | load generator | other processes |\n");
        sb.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Result r : results) {
            sb.append(String.format("| %d | %.0f | %.2f | %.2f | %.1f | %d | %d (%.1f%%) | %d (%.1f%%) | %d | %.2f | %.2f | %.2f | %.2f | %.2f |%n",
                    r.clients, r.pollsPerSecond(), r.p50ms, r.p99ms, r.maxms, r.total(),
                    r.pending, pct(r.pending, r.total()), r.slowDown, pct(r.slowDown, r.total()), r.errors(),
                    r.machineBusyCores, r.authCores, r.pgCores, r.loadGenCores,
                    Math.max(0, r.machineBusyCores - r.authCores - r.pgCores - r.loadGenCores)));
        }
        for (Result r : results) {
            if (r.errors() > 0) {
                sb.append("\nErrors at ").append(r.clients).append(" clients: ").append(r.errorKinds).append('\n');
            }
        }
        return sb.toString();
    }

    static double pct(long part, long whole) {
        return whole == 0 ? 0 : 100.0 * part / whole;
    }

    static String report(List<Result> results, String loadBefore, String loadAfter) {
        StringBuilder sb = new StringBuilder();
        sb.append("# Token-endpoint polls per second: results\n\n");
        sb.append("Written by `bench/token-polls/run.sh`; see README.md for what is measured. Every run overwrites this file.\n\n");
        sb.append("* date: ").append(ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME)).append('\n');
        sb.append("* command: `").append(env("BENCH_COMMAND", "bench/token-polls/run.sh")).append("`\n");
        sb.append("* `nproc`: ").append(env("BENCH_NPROC", String.valueOf(Runtime.getRuntime().availableProcessors()))).append('\n');
        sb.append("* load average (1/5/15 min, runnable/total, last pid) before: `").append(loadBefore)
                .append("`, after: `").append(loadAfter).append("`\n");
        double load1 = Double.parseDouble(loadBefore.split("\\s+")[0]);
        double load1After = Double.parseDouble(loadAfter.split("\\s+")[0]);
        int cpus = Runtime.getRuntime().availableProcessors();
        if (load1 > cpus / 2.0 || load1After > cpus * 1.5) {
            sb.append("* **the machine was busy with other work** (load average above; see the `other processes` column):")
                    .append(" these numbers understate what the service does on an idle host\n");
        }
        sb.append("* settings: ").append(GRANTS).append(" device grants, clients ").append(Arrays.toString(LEVELS))
                .append(", ").append(WARMUP_S).append(" s warm-up + ").append(DURATION_S)
                .append(" s measured per level, closed loop over loopback, java.net.http.HttpClient (HTTP/1.1 keep-alive)\n");
        sb.append("* auth-service: packaged `quarkus-run.jar`, `-Xmx256m`, default reactive pool, poll interval default (5 s);")
                .append(" PostgreSQL 17 from testkit (zonky embedded: fsync off via -F, synchronous_commit=off), same machine\n");
        sb.append("* `java -version`:\n\n```\n").append(env("BENCH_JAVA_VERSION", System.getProperty("java.vm.version")).trim())
                .append("\n```\n\n");
        sb.append(table(results)).append('\n');
        sb.append("CPU columns are cores in use during the measured window (from /proc): the whole machine, the auth-service JVM,")
                .append(" the PostgreSQL postmaster and its backends, the JVM that generates the load, and everything else")
                .append(" (machine minus those three: other jobs on the host).")
                .append(" Everything shares the same machine, so polls/s is a lower bound for a service with the host to itself.\n");
        return sb.toString();
    }

    // ---------------------------------------------------------------------------------------------------- cleanup

    static void cleanUp() {
        if (!cleanedUp.compareAndSet(false, true)) {
            return;
        }
        Process p = authService;
        if (p != null && p.isAlive()) {
            log("stopping auth-service");
            p.destroy();
            try {
                if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
            }
        }
        Postgres pg = postgres;
        if (pg != null) {
            log("stopping PostgreSQL");
            try {
                pg.close();
            } catch (RuntimeException e) {
                System.err.println("bench: stopping PostgreSQL: " + e);
            }
        }
    }

    static void tailAuthLog() {
        try {
            List<String> lines = Files.readAllLines(WORK.resolve("auth-service.log"));
            System.err.println("--- last lines of auth-service.log ---");
            lines.subList(Math.max(0, lines.size() - 40), lines.size()).forEach(System.err::println);
        } catch (IOException ignored) {
            // no log yet
        }
    }

    // ---------------------------------------------------------------------------------------------------- helpers

    static String randomSecret() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static String env(String name, String dflt) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? dflt : v;
    }

    static int intEnv(String name, int dflt) {
        return Integer.parseInt(env(name, String.valueOf(dflt)));
    }

    static void log(String msg) {
        System.out.println("[bench " + java.time.LocalTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss")) + "] " + msg);
    }
}
