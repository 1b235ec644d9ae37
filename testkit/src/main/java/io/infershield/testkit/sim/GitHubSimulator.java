package io.infershield.testkit.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * GitHub's device flow (RFC 8628 with GitHub's quirks), the Copilot token exchange and a minimal Copilot chat upstream,
 * all on one local base URL (configure the GitHub base, the API base and the Copilot base to point here).
 *
 * <ul>
 *   <li>{@code POST /login/device/code} ({@code client_id}, {@code scope}) answers {@code device_code}, {@code user_code}
 *       ({@code XXXX-XXXX}, always holding at least one digit), {@code verification_uri} ({@code <base>/login/device}),
 *       {@code expires_in} 900 and {@code interval} 5.</li>
 *   <li>{@code POST /login/oauth/access_token}: every error comes back <b>with HTTP 200</b> and {@code error},
 *       {@code error_description}, {@code error_uri}. {@code slow_down} also carries the new {@code interval} (old + 5),
 *       which then applies for good. Polling before {@code interval} seconds have passed since the previous poll
 *       <i>or since the code was issued</i> triggers {@code slow_down}. Success: {@code access_token gho_…},
 *       {@code token_type bearer}, {@code scope} (the granted scopes, comma-separated). A device code is single-use.</li>
 *   <li>Both login endpoints answer JSON only when the request's {@code Accept} includes {@code application/json};
 *       otherwise the body (errors too) is {@code application/x-www-form-urlencoded}.</li>
 *   <li>{@code GET /copilot_internal/v2/token} with {@code Authorization: token <gho_…>} (GitHub also takes
 *       {@code Bearer}) mints a Copilot token for that GitHub login: {@code token}, {@code expires_at},
 *       {@code refresh_in}, {@code endpoints.api = <base>/copilot-api}; 401 {@code Bad credentials} otherwise.</li>
 *   <li>{@code POST /copilot-api/chat/completions} with {@code Authorization: Bearer <copilot token>} and the editor
 *       headers {@code editor-version} and {@code copilot-integration-id} (400 without them); 401 for an unknown token
 *       or one past its {@code expires_at} on the simulator clock. Answers {@code "Echo: <last user message>"},
 *       streamed or not, and records which GitHub login's token was used ({@link #copilotCalls()}).</li>
 * </ul>
 *
 * <p>Time comes only from the {@link Clock} given at start (use {@link MutableClock}), and ids come from a seeded
 * random, so runs are deterministic. Every request is recorded ({@link #received()}).
 */
public final class GitHubSimulator implements AutoCloseable {

    /** The public client id of GitHub Copilot's editor plugins; registered and enabled by default. */
    public static final String COPILOT_CLIENT_ID = "Iv1.b507a08c87ecfe98";
    public static final String DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
    public static final int EXPIRES_IN = 900;
    public static final int INTERVAL = 5;
    public static final int COPILOT_TOKEN_TTL = 1800;
    public static final int COPILOT_REFRESH_IN = 1500;
    public static final String ERROR_URI =
            "https://docs.github.com/developers/apps/authorizing-oauth-apps#error-codes-for-the-device-flow";

    /** One Copilot chat call: whose token it carried, the prompt, and the editor headers it sent. */
    public record CopilotCall(String githubLogin, String copilotToken, String model, String prompt,
                              Map<String, String> headers) {
    }

    private static final class DeviceCode {
        final String deviceCode;
        final String userCode;
        final String clientId;
        final List<String> scopes;
        final Instant expiresAt;
        Instant lastPoll;
        int interval = INTERVAL;
        String login;
        boolean denied;
        boolean used;

        DeviceCode(String deviceCode, String userCode, String clientId, List<String> scopes, Instant issued) {
            this.deviceCode = deviceCode;
            this.userCode = userCode;
            this.clientId = clientId;
            this.scopes = scopes;
            this.expiresAt = issued.plusSeconds(EXPIRES_IN);
            this.lastPoll = issued;
        }
    }

    private record CopilotToken(String login, Instant expiresAt) {
    }

    private final HttpServer server;
    private final Clock clock;
    private final Random random;
    private final List<SimRequest> received = new CopyOnWriteArrayList<>();
    private final List<CopilotCall> copilotCalls = new CopyOnWriteArrayList<>();
    private final SimHttp.Faults faults = new SimHttp.Faults();
    /** client id → device flow enabled. */
    private final Map<String, Boolean> clients = new ConcurrentHashMap<>();
    private final Map<String, DeviceCode> byDeviceCode = new HashMap<>();
    private final Map<String, DeviceCode> byUserCode = new HashMap<>();
    private final Map<String, String> githubTokens = new ConcurrentHashMap<>();
    private final Map<String, CopilotToken> copilotTokens = new ConcurrentHashMap<>();
    private volatile boolean tokenExpiredSpelling;

    private GitHubSimulator(int port, Clock clock, long seed) {
        this.clock = clock;
        this.random = new Random(seed);
        clients.put(COPILOT_CLIENT_ID, true);
        this.server = SimHttp.start(port, "github-simulator", this::handle);
    }

    /** Starts on 127.0.0.1:{@code port} (0 for a free port) with time from {@code clock}. */
    public static GitHubSimulator start(int port, Clock clock) {
        return new GitHubSimulator(port, clock, 8628L);
    }

    /** Starts on a free port with time from {@code clock}. */
    public static GitHubSimulator start(Clock clock) {
        return start(0, clock);
    }

    /** {@code http://127.0.0.1:<port>}, no trailing slash. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Base URL of the Copilot chat upstream (what {@code endpoints.api} announces). */
    public String copilotApiUrl() {
        return baseUrl() + "/copilot-api";
    }

    public List<SimRequest> received() {
        return List.copyOf(received);
    }

    /** Recorded requests to {@code path}. */
    public List<SimRequest> received(String path) {
        return received.stream().filter(r -> r.path().equals(path)).collect(Collectors.toList());
    }

    public List<CopilotCall> copilotCalls() {
        return List.copyOf(copilotCalls);
    }

    // ---- test controls -------------------------------------------------------------------------------------------

    /** Registers an OAuth app's client id with the device flow enabled. */
    public GitHubSimulator registerClient(String clientId) {
        clients.put(clientId, true);
        return this;
    }

    /** Enables or disables the device flow of a registered app ({@code device_flow_disabled} when off). */
    public GitHubSimulator deviceFlowEnabled(String clientId, boolean enabled) {
        clients.put(clientId, enabled);
        return this;
    }

    /** Spell device-code expiry {@code token_expired} instead of {@code expired_token} (both are seen in the wild). */
    public GitHubSimulator useTokenExpiredSpelling(boolean on) {
        this.tokenExpiredSpelling = on;
        return this;
    }

    /** The next {@code n} requests (any path) get {@code status} (an HTML body for 5xx) without being processed. */
    public GitHubSimulator failNext(int n, int status) {
        faults.set(n, status, null);
        return this;
    }

    /** Like {@link #failNext(int, int)} with a {@code Retry-After} header (seconds or an HTTP date). */
    public GitHubSimulator failNext(int n, int status, String retryAfter) {
        faults.set(n, status, retryAfter);
        return this;
    }

    /** The user signed in as {@code githubLogin} confirms {@code userCode} (case and hyphen do not matter). */
    public synchronized void approve(String userCode, String githubLogin) {
        DeviceCode dc = pendingByUserCode(userCode);
        dc.login = githubLogin;
    }

    /** The user cancels {@code userCode}: the next poll gets {@code access_denied}. */
    public synchronized void deny(String userCode) {
        pendingByUserCode(userCode).denied = true;
    }

    /**
     * A GitHub OAuth token for {@code githubLogin}, as if that user had completed the device flow. For tests of what
     * comes after sign-in (the Copilot token exchange, proxying); the device flow itself is tested on its own.
     */
    public String mintGitHubToken(String githubLogin) {
        String token;
        synchronized (this) {
            token = "gho_" + SimHttp.random(random, SimHttp.BASE62, 36);
        }
        githubTokens.put(token, githubLogin);
        return token;
    }

    /** The GitHub login a {@code gho_} token belongs to, or null. */
    public String loginOf(String githubToken) {
        return githubTokens.get(githubToken);
    }

    /** Invalidates every Copilot token already minted for {@code githubLogin} (the next chat call gets 401). */
    public void revokeCopilotTokens(String githubLogin) {
        copilotTokens.values().removeIf(t -> t.login().equals(githubLogin));
    }

    private DeviceCode pendingByUserCode(String userCode) {
        DeviceCode dc = byUserCode.get(normaliseUserCode(userCode));
        if (dc == null) {
            throw new IllegalArgumentException("unknown user code " + userCode);
        }
        if (dc.used || dc.denied || dc.login != null) {
            throw new IllegalStateException("user code " + userCode + " was already decided");
        }
        if (!clock.instant().isBefore(dc.expiresAt)) {
            throw new IllegalStateException("user code " + userCode + " has expired");
        }
        return dc;
    }

    private static String normaliseUserCode(String userCode) {
        String s = userCode.trim().toUpperCase(Locale.ROOT).replace("-", "");
        return s.length() == 8 ? s.substring(0, 4) + "-" + s.substring(4) : s;
    }

    // ---- HTTP ------------------------------------------------------------------------------------------------------

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            SimRequest req = SimHttp.read(ex);
            received.add(req);
            if (faults.apply(ex)) {
                return;
            }
            String route = req.method() + " " + req.path();
            switch (route) {
                case "POST /login/device/code" -> deviceCode(ex, req);
                case "POST /login/oauth/access_token" -> accessToken(ex, req);
                case "GET /copilot_internal/v2/token" -> copilotToken(ex, req);
                case "GET /login/device" -> SimHttp.send(ex, 200, "text/html; charset=utf-8", DEVICE_PAGE);
                case "POST /login/device" -> devicePage(ex, req);
                case "POST /copilot-api/chat/completions" -> copilotChat(ex, req);
                default -> SimHttp.json(ex, 404, SimHttp.JSON.createObjectNode().put("message", "Not Found")
                        .put("documentation_url", "https://docs.github.com/rest"));
            }
        }
    }

    /**
     * GitHub's device page, reduced to what a test browser needs: the signed-in login is a form field here, where GitHub
     * takes it from its session cookie.
     */
    private static final String DEVICE_PAGE = """
            <!doctype html><html><head><title>Device activation</title></head><body>
            <form method="post" action="/login/device">
            <label>Signed in as <input name="login" id="login"></label>
            <label>Code <input name="user_code" id="user_code"></label>
            <button name="action" value="authorize" id="authorize">Authorize</button>
            <button name="action" value="cancel" id="cancel">Cancel</button>
            </form></body></html>""";

    private void devicePage(HttpExchange ex, SimRequest req) throws IOException {
        Map<String, String> p = SimHttp.params(req);
        String userCode = p.getOrDefault("user_code", "");
        String login = p.getOrDefault("login", "");
        try {
            if ("cancel".equals(p.get("action"))) {
                deny(userCode);
            } else if (login.isBlank()) {
                SimHttp.send(ex, 400, "text/html; charset=utf-8", "<p>Sign in first.</p>");
                return;
            } else {
                approve(userCode, login);
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            SimHttp.send(ex, 404, "text/html; charset=utf-8", "<p>That code is not valid.</p>");
            return;
        }
        SimHttp.send(ex, 200, "text/html; charset=utf-8",
                "cancel".equals(p.get("action")) ? "<p id=\"done\">Cancelled.</p>" : "<p id=\"done\">Device authorized.</p>");
    }

    private static boolean wantsJson(SimRequest req) {
        String accept = req.header("accept");
        return accept != null && accept.toLowerCase(Locale.ROOT).contains("application/json");
    }

    /** GitHub's quirk: JSON only on {@code Accept: application/json}, form-encoded otherwise. */
    private static void answer(HttpExchange ex, SimRequest req, Map<String, Object> fields) throws IOException {
        if (wantsJson(req)) {
            ObjectNode node = SimHttp.JSON.createObjectNode();
            fields.forEach((k, v) -> {
                if (v instanceof Integer i) {
                    node.put(k, i);
                } else if (v instanceof Long l) {
                    node.put(k, l);
                } else {
                    node.put(k, String.valueOf(v));
                }
            });
            SimHttp.json(ex, 200, node);
        } else {
            SimHttp.send(ex, 200, SimHttp.FORM + "; charset=utf-8", SimHttp.form(fields));
        }
    }

    private static void oauthError(HttpExchange ex, SimRequest req, String error, String description,
                                   Map<String, Object> extra) throws IOException {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("error", error);
        f.put("error_description", description);
        f.put("error_uri", ERROR_URI);
        f.putAll(extra);
        answer(ex, req, f); // always HTTP 200
    }

    /** GitHub checks the client on both endpoints and answers, with HTTP 200, for an unknown or a device-flow-less app. */
    private boolean rejectedClient(HttpExchange ex, SimRequest req, String clientId) throws IOException {
        Boolean enabled = clientId == null ? null : clients.get(clientId);
        if (enabled == null) {
            oauthError(ex, req, "incorrect_client_credentials",
                    "The client_id and/or client_secret passed are incorrect.", Map.of());
            return true;
        }
        if (!enabled) {
            oauthError(ex, req, "device_flow_disabled", "Device Flow must be explicitly enabled for this App",
                    Map.of());
            return true;
        }
        return false;
    }

    private void deviceCode(HttpExchange ex, SimRequest req) throws IOException {
        Map<String, String> p = SimHttp.params(req);
        String clientId = p.get("client_id");
        if (rejectedClient(ex, req, clientId)) {
            return;
        }
        List<String> scopes = Arrays.stream(p.getOrDefault("scope", "").split("[ ,]+"))
                .filter(s -> !s.isBlank()).collect(Collectors.toList());
        DeviceCode dc;
        synchronized (this) {
            String deviceCode;
            String userCode;
            do {
                deviceCode = SimHttp.random(random, SimHttp.HEX, 40);
            } while (byDeviceCode.containsKey(deviceCode));
            do {
                userCode = newUserCode();
            } while (byUserCode.containsKey(userCode));
            dc = new DeviceCode(deviceCode, userCode, clientId, List.copyOf(scopes), clock.instant());
            byDeviceCode.put(deviceCode, dc);
            byUserCode.put(userCode, dc);
        }
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("device_code", dc.deviceCode);
        f.put("user_code", dc.userCode);
        f.put("verification_uri", baseUrl() + "/login/device");
        f.put("expires_in", EXPIRES_IN);
        f.put("interval", INTERVAL);
        answer(ex, req, f);
    }

    /** {@code XXXX-XXXX} from upper-case letters and digits, with at least one digit so clients cannot assume letters. */
    private String newUserCode() {
        String alphabet = "BCDFGHJKLMNPQRSTVWXZ0123456789";
        char[] c = SimHttp.random(random, alphabet, 8).toCharArray();
        c[random.nextInt(8)] = (char) ('0' + random.nextInt(10));
        String s = new String(c);
        return s.substring(0, 4) + "-" + s.substring(4);
    }

    private void accessToken(HttpExchange ex, SimRequest req) throws IOException {
        Map<String, String> p = SimHttp.params(req);
        String clientId = p.get("client_id");
        if (rejectedClient(ex, req, clientId)) {
            return;
        }
        if (!DEVICE_GRANT.equals(p.get("grant_type"))) {
            oauthError(ex, req, "unsupported_grant_type",
                    "The grant type is not supported. Use urn:ietf:params:oauth:grant-type:device_code.", Map.of());
            return;
        }
        String error;
        String description;
        Map<String, Object> extra = Map.of();
        Map<String, Object> success = null;
        synchronized (this) {
            DeviceCode dc = byDeviceCode.get(p.getOrDefault("device_code", ""));
            Instant now = clock.instant();
            if (dc == null || !dc.clientId.equals(clientId) || dc.used) {
                error = "incorrect_device_code";
                description = "The device_code provided is not valid.";
            } else if (!now.isBefore(dc.expiresAt)) {
                error = tokenExpiredSpelling ? "token_expired" : "expired_token";
                description = "The device_code has expired.";
            } else if (now.isBefore(dc.lastPoll.plusSeconds(dc.interval))) {
                dc.interval += 5;
                dc.lastPoll = now;
                error = "slow_down";
                description = "Too many requests have been made in the same timeframe.";
                extra = Map.of("interval", dc.interval);
            } else {
                dc.lastPoll = now;
                if (dc.denied) {
                    error = "access_denied";
                    description = "The authorization request was denied.";
                } else if (dc.login == null) {
                    error = "authorization_pending";
                    description = "The authorization request is still pending.";
                } else {
                    dc.used = true;
                    String token = "gho_" + SimHttp.random(random, SimHttp.BASE62, 36);
                    githubTokens.put(token, dc.login);
                    success = new LinkedHashMap<>();
                    success.put("access_token", token);
                    success.put("token_type", "bearer");
                    success.put("scope", String.join(",", dc.scopes));
                    error = null;
                    description = null;
                }
            }
        }
        if (success != null) {
            answer(ex, req, success);
        } else {
            oauthError(ex, req, error, description, extra);
        }
    }

    private void copilotToken(HttpExchange ex, SimRequest req) throws IOException {
        String auth = req.header("authorization");
        String token = null;
        if (auth != null) {
            String lower = auth.toLowerCase(Locale.ROOT);
            if (lower.startsWith("token ")) {
                token = auth.substring(6).trim();
            } else if (lower.startsWith("bearer ")) {
                token = auth.substring(7).trim();
            }
        }
        String login = token == null ? null : githubTokens.get(token);
        if (login == null) {
            SimHttp.json(ex, 401, SimHttp.JSON.createObjectNode().put("message", "Bad credentials")
                    .put("documentation_url", "https://docs.github.com/rest"));
            return;
        }
        long now = clock.instant().getEpochSecond();
        long exp = now + COPILOT_TOKEN_TTL;
        String value;
        synchronized (this) {
            value = "tid=" + tidOf(login) + ";exp=" + exp + ";sku=copilot_for_individuals_subscriber;st=dotcom;chat=1"
                    + ";rt=1;8kp=1:" + SimHttp.random(random, SimHttp.HEX, 64);
        }
        copilotTokens.put(value, new CopilotToken(login, Instant.ofEpochSecond(exp)));
        ObjectNode res = SimHttp.JSON.createObjectNode().put("token", value).put("expires_at", exp)
                .put("refresh_in", COPILOT_REFRESH_IN).put("chat_enabled", true)
                .put("sku", "copilot_for_individuals_subscriber");
        res.putObject("endpoints").put("api", copilotApiUrl()).put("proxy", baseUrl() + "/copilot-proxy")
                .put("telemetry", baseUrl() + "/copilot-telemetry");
        SimHttp.json(ex, 200, res);
    }

    /** A stable per-login tenant id, so tokens of two users differ even in their readable part. */
    private static String tidOf(String login) {
        return String.format("%032x", new java.math.BigInteger(1, login.getBytes(StandardCharsets.UTF_8))
                .mod(java.math.BigInteger.TWO.pow(128)));
    }

    private void copilotChat(HttpExchange ex, SimRequest req) throws IOException {
        String auth = req.header("authorization");
        String token = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).trim() : null;
        CopilotToken ct = token == null ? null : copilotTokens.get(token);
        if (ct == null) {
            SimHttp.send(ex, 401, "text/plain; charset=utf-8", "unauthorized: invalid token");
            return;
        }
        if (!clock.instant().isBefore(ct.expiresAt())) {
            SimHttp.send(ex, 401, "text/plain; charset=utf-8", "unauthorized: token expired");
            return;
        }
        if (req.header("editor-version") == null) {
            SimHttp.send(ex, 400, "text/plain; charset=utf-8", "bad request: missing Editor-Version header for IDE auth");
            return;
        }
        if (req.header("copilot-integration-id") == null) {
            SimHttp.send(ex, 400, "text/plain; charset=utf-8", "bad request: missing Copilot-Integration-Id header");
            return;
        }
        JsonNode body;
        try {
            body = SimHttp.JSON.readTree(req.body());
        } catch (IOException e) {
            body = null;
        }
        if (body == null || !body.path("messages").isArray() || body.path("messages").isEmpty()) {
            SimHttp.json(ex, 400, SimHttp.JSON.createObjectNode().set("error", SimHttp.JSON.createObjectNode()
                    .put("message", "messages is required").put("code", "invalid_request_body")));
            return;
        }
        String prompt = "";
        for (JsonNode m : body.path("messages")) {
            if ("user".equals(m.path("role").asText())) {
                prompt = m.path("content").isTextual() ? m.path("content").asText() : m.path("content").toString();
            }
        }
        String model = body.path("model").asText("gpt-4o");
        Map<String, String> editorHeaders = new LinkedHashMap<>();
        for (String h : List.of("editor-version", "editor-plugin-version", "copilot-integration-id", "user-agent",
                "x-request-id", "x-initiator")) {
            if (req.header(h) != null) {
                editorHeaders.put(h, req.header(h));
            }
        }
        copilotCalls.add(new CopilotCall(ct.login(), token, model, prompt, Map.copyOf(editorHeaders)));
        String reply = OpenAiSimulator.replyTo(prompt);
        String id = "chatcmpl-copilot-sim" + copilotCalls.size();
        long created = clock.instant().getEpochSecond();
        if (body.path("stream").asBoolean(false)) {
            ex.getResponseHeaders().set("Content-Type", "text/event-stream");
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            List<String> parts = new ArrayList<>(Arrays.asList(reply.split("(?<= )")));
            for (String w : parts) {
                ObjectNode c = SimHttp.JSON.createObjectNode().put("id", id).put("object", "chat.completion.chunk")
                        .put("created", created).put("model", model);
                ObjectNode choice = c.putArray("choices").addObject().put("index", 0);
                choice.putObject("delta").put("role", "assistant").put("content", w);
                choice.putNull("finish_reason");
                out.write(("data: " + SimHttp.JSON.writeValueAsString(c) + "\n\n").getBytes(StandardCharsets.UTF_8));
            }
            ObjectNode last = SimHttp.JSON.createObjectNode().put("id", id).put("object", "chat.completion.chunk")
                    .put("created", created).put("model", model);
            ObjectNode choice = last.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop");
            choice.putObject("delta");
            out.write(("data: " + SimHttp.JSON.writeValueAsString(last) + "\n\n").getBytes(StandardCharsets.UTF_8));
            out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
        } else {
            ObjectNode res = SimHttp.JSON.createObjectNode().put("id", id).put("object", "chat.completion")
                    .put("created", created).put("model", model);
            ObjectNode choice = res.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop");
            choice.putObject("message").put("role", "assistant").put("content", reply);
            SimHttp.json(ex, 200, res);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
