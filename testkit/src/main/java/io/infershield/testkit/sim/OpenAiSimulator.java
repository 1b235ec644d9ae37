package io.infershield.testkit.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * An OpenAI-compatible upstream that follows the documented API: {@code GET /v1/models} and
 * {@code POST /v1/chat/completions}, streamed as server-sent events ({@code chat.completion.chunk} objects, then
 * {@code data: [DONE]}) or not, with OpenAI's error shape and {@code 401 invalid_api_key} for a wrong key.
 *
 * <p>The answer is deterministic so tests can assert it: {@code "Echo: <the last user message>"}, streamed one word
 * per chunk. Every request is recorded (method, path, the API key it carried) for tests that check what was forwarded.
 */
public final class OpenAiSimulator implements AutoCloseable {

    public static final String MODEL = "gpt-4o-mini";

    /** What the simulator received. */
    public record Received(String method, String path, String apiKey, String body) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final String apiKey;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    private OpenAiSimulator(HttpServer server, String apiKey) {
        this.server = server;
        this.apiKey = apiKey;
    }

    /** Starts on 127.0.0.1:{@code port} (0 for a free port), accepting only {@code apiKey}. */
    public static OpenAiSimulator start(int port, String apiKey) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
            OpenAiSimulator sim = new OpenAiSimulator(server, apiKey);
            server.createContext("/v1/", sim::handle);
            server.setExecutor(Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "openai-simulator");
                t.setDaemon(true);
                return t;
            }));
            server.start();
            return sim;
        } catch (IOException e) {
            throw new IllegalStateException("simulator did not start", e);
        }
    }

    /** Base URL including {@code /v1}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    /** The reply the simulator gives to {@code prompt}. */
    public static String replyTo(String prompt) {
        return "Echo: " + prompt;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            String key = auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : null;
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String path = ex.getRequestURI().getPath();
            received.add(new Received(ex.getRequestMethod(), path, key, body));
            if (key == null || !key.equals(apiKey)) {
                error(ex, 401, "Incorrect API key provided.", "invalid_request_error", "invalid_api_key");
                return;
            }
            if (ex.getRequestMethod().equals("GET") && path.equals("/v1/models")) {
                ObjectNode list = JSON.createObjectNode().put("object", "list");
                list.putArray("data").addObject().put("id", MODEL).put("object", "model")
                        .put("created", 1_700_000_000L).put("owned_by", "infershield-simulator");
                json(ex, 200, list);
            } else if (ex.getRequestMethod().equals("POST") && path.equals("/v1/chat/completions")) {
                chat(ex, body);
            } else {
                error(ex, 404, "Unknown request URL: " + ex.getRequestMethod() + " " + path, "invalid_request_error",
                        "unknown_url");
            }
        }
    }

    private void chat(HttpExchange ex, String body) throws IOException {
        JsonNode req;
        try {
            req = JSON.readTree(body);
        } catch (IOException e) {
            error(ex, 400, "We could not parse the JSON body of your request.", "invalid_request_error", null);
            return;
        }
        JsonNode messages = req.path("messages");
        if (!messages.isArray() || messages.isEmpty() || !req.path("model").isTextual()) {
            error(ex, 400, "'messages' and 'model' are required.", "invalid_request_error", null);
            return;
        }
        String prompt = "";
        for (JsonNode m : messages) {
            if ("user".equals(m.path("role").asText())) {
                prompt = m.path("content").isTextual() ? m.path("content").asText() : m.path("content").toString();
            }
        }
        String reply = replyTo(prompt);
        String model = req.path("model").asText();
        String id = "chatcmpl-sim" + Long.toHexString(System.nanoTime());
        if (req.path("stream").asBoolean(false)) {
            ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            ex.getResponseHeaders().set("Cache-Control", "no-cache");
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            String[] words = reply.split("(?<= )");
            sse(out, chunk(id, model, Map.of("role", "assistant", "content", ""), null));
            for (String w : words) {
                sse(out, chunk(id, model, Map.of("content", w), null));
            }
            sse(out, chunk(id, model, Map.of(), "stop"));
            if (req.path("stream_options").path("include_usage").asBoolean(false)) {
                ObjectNode usage = chunk(id, model, null, null);
                usage.putArray("choices");
                usage.set("usage", usage(prompt, reply));
                sse(out, usage);
            }
            out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
        } else {
            ObjectNode res = JSON.createObjectNode().put("id", id).put("object", "chat.completion")
                    .put("created", System.currentTimeMillis() / 1000).put("model", model);
            ObjectNode choice = res.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop");
            choice.putObject("message").put("role", "assistant").put("content", reply);
            res.set("usage", usage(prompt, reply));
            json(ex, 200, res);
        }
    }

    private static ObjectNode chunk(String id, String model, Map<String, String> delta, String finish) {
        ObjectNode c = JSON.createObjectNode().put("id", id).put("object", "chat.completion.chunk")
                .put("created", System.currentTimeMillis() / 1000).put("model", model);
        if (delta != null) {
            ArrayNode choices = c.putArray("choices");
            ObjectNode choice = choices.addObject().put("index", 0);
            ObjectNode d = choice.putObject("delta");
            delta.forEach(d::put);
            if (finish == null) {
                choice.putNull("finish_reason");
            } else {
                choice.put("finish_reason", finish);
            }
        }
        return c;
    }

    private static ObjectNode usage(String prompt, String reply) {
        int in = prompt.split("\\s+").length;
        int out = reply.split("\\s+").length;
        return JSON.createObjectNode().put("prompt_tokens", in).put("completion_tokens", out).put("total_tokens", in + out);
    }

    private static void sse(OutputStream out, JsonNode data) throws IOException {
        out.write(("data: " + JSON.writeValueAsString(data) + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void json(HttpExchange ex, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    private static void error(HttpExchange ex, int status, String message, String type, String code) throws IOException {
        ObjectNode err = JSON.createObjectNode();
        ObjectNode e = err.putObject("error").put("message", message).put("type", type);
        e.putNull("param");
        if (code == null) {
            e.putNull("code");
        } else {
            e.put("code", code);
        }
        json(ex, status, err);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
