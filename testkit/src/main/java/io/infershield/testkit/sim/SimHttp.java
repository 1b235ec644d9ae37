package io.infershield.testkit.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;

/** Plumbing shared by the device-flow simulators (package-private). */
final class SimHttp {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String FORM = "application/x-www-form-urlencoded";

    private SimHttp() {
    }

    static HttpServer start(int port, String threadName, HttpHandler handler) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
            server.createContext("/", handler);
            server.setExecutor(Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, threadName);
                t.setDaemon(true);
                return t;
            }));
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("simulator did not start", e);
        }
    }

    static SimRequest read(HttpExchange ex) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> h : ex.getRequestHeaders().entrySet()) {
            if (!h.getValue().isEmpty()) {
                headers.put(h.getKey().toLowerCase(Locale.ROOT), h.getValue().get(0));
            }
        }
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        return new SimRequest(ex.getRequestMethod(), ex.getRequestURI().getPath(), ex.getRequestURI().getRawQuery(),
                Map.copyOf(headers), body);
    }

    /** Parameters from the query string, then the body (form-encoded, or a flat JSON object when sent as JSON). */
    static Map<String, String> params(SimRequest req) {
        Map<String, String> out = new LinkedHashMap<>(parseForm(req.query()));
        String ct = req.header("content-type");
        if (ct != null && ct.toLowerCase(Locale.ROOT).contains("json")) {
            try {
                JsonNode node = JSON.readTree(req.body());
                if (node != null && node.isObject()) {
                    node.fields().forEachRemaining(f -> out.put(f.getKey(),
                            f.getValue().isValueNode() ? f.getValue().asText() : f.getValue().toString()));
                }
            } catch (IOException e) {
                // unparseable JSON: no parameters
            }
        } else {
            out.putAll(parseForm(req.body()));
        }
        return out;
    }

    static Map<String, String> parseForm(String s) {
        Map<String, String> out = new LinkedHashMap<>();
        if (s == null || s.isBlank()) {
            return out;
        }
        for (String pair : s.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            out.putIfAbsent(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
        }
        return out;
    }

    static String form(Map<String, ?> values) {
        StringBuilder sb = new StringBuilder();
        values.forEach((k, v) -> {
            if (sb.length() > 0) {
                sb.append('&');
            }
            sb.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(String.valueOf(v), StandardCharsets.UTF_8));
        });
        return sb.toString();
    }

    static void send(HttpExchange ex, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            ex.getResponseBody().write(bytes);
        }
    }

    static void json(HttpExchange ex, int status, JsonNode body) throws IOException {
        send(ex, status, "application/json; charset=utf-8", JSON.writeValueAsString(body));
    }

    /** {@code body} as the LLM providers send JSON: {@code application/json}, no charset parameter. */
    static void providerJson(HttpExchange ex, int status, JsonNode body) throws IOException {
        send(ex, status, "application/json", JSON.writeValueAsString(body));
    }

    /** Starts a streamed {@code 200 text/event-stream} answer, as the providers send one; events go to the stream. */
    static java.io.OutputStream eventStream(HttpExchange ex) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        ex.getResponseHeaders().set("Cache-Control", "no-cache");
        ex.sendResponseHeaders(200, 0);
        return ex.getResponseBody();
    }

    static String random(Random random, String alphabet, int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    static final String HEX = "0123456789abcdef";
    static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /** Injected failures for the next N requests: a status (5xx, 429, 403) with an optional Retry-After. */
    static final class Faults {
        private int remaining;
        private int status;
        private String retryAfter;

        synchronized void set(int n, int status, String retryAfter) {
            this.remaining = n;
            this.status = status;
            this.retryAfter = retryAfter;
        }

        /** If a failure is pending, answers it and returns true. */
        boolean apply(HttpExchange ex) throws IOException {
            int s;
            String ra;
            synchronized (this) {
                if (remaining <= 0) {
                    return false;
                }
                remaining--;
                s = status;
                ra = retryAfter;
            }
            if (ra != null) {
                ex.getResponseHeaders().set("Retry-After", ra);
            }
            if (s >= 500) {
                // GitHub's 5xx pages are HTML, not JSON: clients must not assume a JSON error body.
                send(ex, s, "text/html; charset=utf-8",
                        "<!DOCTYPE html><html><head><title>Unicorn! &middot; GitHub</title></head>"
                                + "<body>No server is currently available to service your request.</body></html>");
            } else {
                json(ex, s, JSON.createObjectNode().put("message", "You have exceeded a secondary rate limit.")
                        .put("documentation_url", "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"));
            }
            return true;
        }
    }
}
