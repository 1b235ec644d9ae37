package io.infershield.testkit.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A local Anthropic upstream that reproduces the documented Messages API closely enough for the real
 * {@code @anthropic-ai/sdk} client to parse it: {@code POST /v1/messages} (plain JSON, or server-sent events in the
 * documented order {@code message_start}, {@code content_block_start}, {@code ping}, {@code content_block_delta}s,
 * {@code content_block_stop}, {@code message_delta}, {@code message_stop}), {@code POST /v1/messages/count_tokens}
 * and {@code GET /v1/models}.
 *
 * <p>As documented, every response carries a {@code request-id} header, every request needs an
 * {@code anthropic-version} header, and errors have the shape
 * {@code {"type":"error","error":{"type":…,"message":…},"request_id":…}}. The caller authenticates with an API key in
 * {@code x-api-key} or with an OAuth access token in {@code Authorization: Bearer} (as Claude subscriptions do).
 *
 * <p>The answer is deterministic so tests can assert it: {@link #replyTo} of the last user message's text, streamed one
 * word per {@code text_delta}. When the request offers tools and the prompt starts with {@value #USE_TOOL_PREFIX}, the
 * model instead asks for the first tool with the rest of the prompt as {@code {"text": …}}, streamed as
 * {@code input_json_delta} pieces that cut the JSON mid-value, as the real API does. Token counts are word counts.
 * Every request is recorded, rejected ones included, for tests that check what was forwarded.
 */
public final class AnthropicSimulator implements AutoCloseable {

    public static final String MODEL = "claude-sonnet-4-5";
    /** A prompt starting with this makes the model call the request's first tool (when it offers tools). */
    public static final String USE_TOOL_PREFIX = "use tool: ";
    /** The text block that precedes a tool call. */
    public static final String TOOL_CALL_TEXT = "Calling the tool.";

    /** What the simulator received; {@code scheme} is {@code "x-api-key"}, {@code "bearer"} or null (no credential). */
    public record Received(String method, String path, String apiKey, String scheme, String anthropicVersion,
                           String anthropicBeta, String body) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PARTIAL_JSON_PIECE = 8;

    private HttpServer server;
    private final String apiKey;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicLong ids = new AtomicLong();

    private AnthropicSimulator(String apiKey) {
        this.apiKey = apiKey;
    }

    /** Starts on 127.0.0.1:{@code port} (0 for a free port), accepting only {@code apiKey} (as key or OAuth token). */
    public static AnthropicSimulator start(int port, String apiKey) {
        AnthropicSimulator sim = new AnthropicSimulator(apiKey);
        sim.server = SimHttp.start(port, "anthropic-simulator", sim::handle);
        return sim;
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

    /** A documented API error: answered as {@code {"type":"error","error":{type, message},"request_id"}}. */
    private static final class ApiError extends Exception {
        final int status;
        final String type;

        ApiError(int status, String type, String message) {
            super(message, null, false, false);
            this.status = status;
            this.type = type;
        }
    }

    private static ApiError invalid(String message) {
        return new ApiError(400, "invalid_request_error", message);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            Headers h = ex.getRequestHeaders();
            String xApiKey = h.getFirst("x-api-key");
            String auth = h.getFirst("Authorization");
            boolean bearer = xApiKey == null && auth != null && auth.startsWith("Bearer ");
            String key = bearer ? auth.substring(7) : xApiKey;
            String scheme = xApiKey != null ? "x-api-key" : bearer ? "bearer" : null;
            String version = h.getFirst("anthropic-version");
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String method = ex.getRequestMethod();
            String path = ex.getRequestURI().getPath();
            received.add(new Received(method, path, key, scheme, version, h.getFirst("anthropic-beta"), body));
            String requestId = id("req_");
            ex.getResponseHeaders().set("request-id", requestId);
            try {
                if (key == null) {
                    throw new ApiError(401, "authentication_error", "x-api-key header is required");
                }
                if (!key.equals(apiKey)) {
                    throw new ApiError(401, "authentication_error", "invalid x-api-key");
                }
                if (version == null) {
                    throw invalid("anthropic-version: header is required");
                }
                switch (method + " " + path) {
                    case "POST /v1/messages" -> messages(ex, parse(body, true));
                    case "POST /v1/messages/count_tokens" ->
                            SimHttp.providerJson(ex, 200, JSON.createObjectNode().put("input_tokens", inputTokens(parse(body, false))));
                    case "GET /v1/models" -> SimHttp.providerJson(ex, 200, models());
                    default -> throw new ApiError(404, "not_found_error", "Not Found");
                }
            } catch (ApiError e) {
                ObjectNode err = JSON.createObjectNode().put("type", "error");
                err.putObject("error").put("type", e.type).put("message", e.getMessage());
                err.put("request_id", requestId);
                SimHttp.providerJson(ex, e.status, err);
            }
        }
    }

    /** Validates a Messages (or, without {@code max_tokens}, count_tokens) request as the API does. */
    private static JsonNode parse(String body, boolean needsMaxTokens) throws ApiError {
        JsonNode req;
        try {
            req = JSON.readTree(body);
        } catch (IOException e) {
            throw invalid("The request body is not valid JSON.");
        }
        require(req != null && req.isObject(), "The request body must be a JSON object.");
        require(req.has("model"), "model: Field required");
        require(req.get("model").isTextual(), "model: Input should be a valid string");
        if (needsMaxTokens) {
            JsonNode max = req.get("max_tokens");
            require(max != null, "max_tokens: Field required");
            require(max.isIntegralNumber() && max.canConvertToInt(), "max_tokens: Input should be a valid integer");
            require(max.asInt() >= 1, "max_tokens: Input should be greater than or equal to 1");
        }
        JsonNode messages = req.get("messages");
        require(messages != null, "messages: Field required");
        require(messages.isArray(), "messages: Input should be a valid list");
        require(!messages.isEmpty(), "messages: at least one message is required");
        for (int i = 0; i < messages.size(); i++) {
            String role = messages.get(i).path("role").asText("");
            require(role.equals("user") || role.equals("assistant"),
                    "messages." + i + ".role: Input should be 'user' or 'assistant'");
            checkContent(messages.get(i).get("content"), "messages." + i + ".content", false);
        }
        JsonNode system = req.get("system");
        if (system != null && !system.isNull()) {
            checkContent(system, "system", true);
        }
        return req;
    }

    /** Content is a string or a list of typed blocks ({@code textOnly}: text blocks only, as for {@code system}). */
    private static void checkContent(JsonNode content, String field, boolean textOnly) throws ApiError {
        require(content != null, field + ": Field required");
        require(content.isTextual() || content.isArray(),
                field + ": Input should be a valid string or a list of content blocks");
        for (int j = 0; content.isArray() && j < content.size(); j++) {
            String type = content.get(j).path("type").asText("");
            require(!type.isEmpty() && (!textOnly || type.equals("text")),
                    field + "." + j + ".type: Input should be " + (textOnly ? "'text'" : "a block type"));
            require(!type.equals("text") || content.get(j).path("text").isTextual(),
                    field + "." + j + ".text: Field required");
        }
    }

    private static void require(boolean ok, String message) throws ApiError {
        if (!ok) {
            throw invalid(message);
        }
    }

    private void messages(HttpExchange ex, JsonNode req) throws IOException {
        String model = req.get("model").asText();
        String prompt = "";
        for (JsonNode m : req.get("messages")) {
            if (m.get("role").asText().equals("user")) {
                prompt = text(m.get("content"), false);
            }
        }
        JsonNode tools = req.path("tools");
        ObjectNode toolUse = null;
        if (tools.isArray() && !tools.isEmpty() && prompt.startsWith(USE_TOOL_PREFIX)) {
            toolUse = JSON.createObjectNode().put("type", "tool_use").put("id", id("toolu_"))
                    .put("name", tools.get(0).path("name").asText());
            toolUse.putObject("input").put("text", prompt.substring(USE_TOOL_PREFIX.length()));
        }
        String reply = toolUse == null ? replyTo(prompt) : TOOL_CALL_TEXT;
        String stopReason = toolUse == null ? "end_turn" : "tool_use";
        String toolInput = toolUse == null ? "" : JSON.writeValueAsString(toolUse.get("input"));
        int inputTokens = inputTokens(req);
        int outputTokens = words(reply) + words(toolInput);
        String id = id("msg_");
        if (!req.path("stream").asBoolean(false)) {
            ObjectNode message = message(id, model, stopReason, inputTokens, outputTokens);
            ArrayNode content = (ArrayNode) message.get("content");
            content.addObject().put("type", "text").put("text", reply);
            if (toolUse != null) {
                content.add(toolUse);
            }
            SimHttp.providerJson(ex, 200, message);
            return;
        }
        OutputStream out = SimHttp.eventStream(ex);
        // As documented, message_start's usage already counts the input and a first output token.
        event(out, JSON.createObjectNode().put("type", "message_start")
                .set("message", message(id, model, null, inputTokens, 1)));
        event(out, blockStart(0, JSON.createObjectNode().put("type", "text").put("text", "")));
        event(out, JSON.createObjectNode().put("type", "ping"));
        for (String word : reply.split("(?<= )")) {
            event(out, delta(0, "text_delta", "text", word));
        }
        event(out, JSON.createObjectNode().put("type", "content_block_stop").put("index", 0));
        if (toolUse != null) {
            ObjectNode started = toolUse.deepCopy();
            started.putObject("input");
            event(out, blockStart(1, started));
            for (int i = 0; i < toolInput.length(); ) {
                int end = Math.min(i + PARTIAL_JSON_PIECE, toolInput.length());
                if (end < toolInput.length() && Character.isHighSurrogate(toolInput.charAt(end - 1))) {
                    end++;
                }
                event(out, delta(1, "input_json_delta", "partial_json", toolInput.substring(i, end)));
                i = end;
            }
            event(out, JSON.createObjectNode().put("type", "content_block_stop").put("index", 1));
        }
        ObjectNode messageDelta = JSON.createObjectNode().put("type", "message_delta");
        messageDelta.putObject("delta").put("stop_reason", stopReason).putNull("stop_sequence");
        messageDelta.putObject("usage").put("output_tokens", outputTokens);
        event(out, messageDelta);
        event(out, JSON.createObjectNode().put("type", "message_stop"));
    }

    /** A Message object with empty content; {@code stopReason} null while streaming starts. */
    private static ObjectNode message(String id, String model, String stopReason, int inputTokens, int outputTokens) {
        ObjectNode m = JSON.createObjectNode().put("id", id).put("type", "message").put("role", "assistant")
                .put("model", model);
        m.putArray("content");
        m.put("stop_reason", stopReason).putNull("stop_sequence");
        m.putObject("usage").put("input_tokens", inputTokens).put("output_tokens", outputTokens);
        return m;
    }

    private static ObjectNode blockStart(int index, ObjectNode block) {
        ObjectNode e = JSON.createObjectNode().put("type", "content_block_start").put("index", index);
        e.set("content_block", block);
        return e;
    }

    private static ObjectNode delta(int index, String type, String field, String value) {
        ObjectNode e = JSON.createObjectNode().put("type", "content_block_delta").put("index", index);
        e.putObject("delta").put("type", type).put(field, value);
        return e;
    }

    private static ObjectNode models() {
        ObjectNode list = JSON.createObjectNode();
        list.putArray("data").addObject().put("type", "model").put("id", MODEL).put("display_name", "Claude Sonnet 4.5")
                .put("created_at", "2025-09-29T00:00:00Z");
        return list.put("has_more", false).put("first_id", MODEL).put("last_id", MODEL);
    }

    /** Input tokens: the words of all text in {@code system} and the messages, tool results included. */
    private static int inputTokens(JsonNode req) {
        JsonNode system = req.path("system");
        int n = system.isTextual() || system.isArray() ? words(text(system, true)) : 0;
        for (JsonNode m : req.get("messages")) {
            n += words(text(m.get("content"), true));
        }
        return n;
    }

    /** The string itself, or the text blocks joined with "\n" ({@code withToolResults}: tool results' text too). */
    private static String text(JsonNode content, boolean withToolResults) {
        if (content.isTextual()) {
            return content.asText();
        }
        List<String> parts = new ArrayList<>();
        for (JsonNode block : content) {
            String type = block.path("type").asText();
            if (type.equals("text")) {
                parts.add(block.path("text").asText());
            } else if (withToolResults && type.equals("tool_result") && block.has("content")) {
                parts.add(text(block.get("content"), true));
            }
        }
        return String.join("\n", parts);
    }

    private static int words(String s) {
        return s.isBlank() ? 0 : s.strip().split("\\s+").length;
    }

    private String id(String prefix) {
        return prefix + String.format("01Sim%019d", ids.incrementAndGet());
    }

    /** One server-sent event, named after its data's {@code type} as documented, written and flushed at once. */
    private static void event(OutputStream out, ObjectNode data) throws IOException {
        String name = data.get("type").asText();
        out.write(("event: " + name + "\ndata: " + JSON.writeValueAsString(data) + "\n\n")
                .getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
