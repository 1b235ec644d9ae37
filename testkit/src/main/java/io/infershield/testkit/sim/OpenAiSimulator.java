package io.infershield.testkit.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * An OpenAI-compatible upstream that follows the documented API: {@code GET /v1/models} and
 * {@code POST /v1/chat/completions}, streamed as server-sent events ({@code chat.completion.chunk} objects, then
 * {@code data: [DONE]}) or not, with OpenAI's error shape and {@code 401 invalid_api_key} for a wrong key. Token
 * counts are word counts; a stream reports them only when asked ({@code stream_options.include_usage}), in an extra
 * chunk with no choices before {@code [DONE]}, every other chunk then carrying {@code "usage": null}.
 *
 * <p>The answer is deterministic so tests can assert it: {@code "Echo: <the last user message>"}, streamed one word
 * per chunk. Every request is recorded (method, path, the API key it carried) for tests that check what was forwarded.
 *
 * <p>Also:
 * <ul>
 * <li>{@code POST /v1/responses} (the Responses API): the prompt is the last user message item's text (its
 * {@code input_text} parts joined with newlines), or {@code "tool said: <output>"} when the input ends with a
 * {@code function_call_output}; the answer is one {@code output_text} message, streamed as the documented semantic
 * events ({@code event: <type>}, numbered by {@code sequence_number}, ending with {@code response.completed} and no
 * {@code [DONE]}). A prompt starting with {@value #TOOL_PREFIX} in a request offering a function tool is answered
 * with a {@code function_call} of the first one, {@code arguments} {@code {"text":"<the rest>"}}, streamed in
 * 8-char {@code response.function_call_arguments.delta} pieces. Unknown input item types are ignored.</li>
 * <li>{@code POST /v1/embeddings}: a string, strings, a token array or token arrays; each embedded as
 * {@link #embeddingOf(String)}, as floats or, for {@code encoding_format: "base64"}, little-endian float32 in base64.
 * {@code dimensions} is ignored.</li>
 * <li>{@code POST /v1/completions} (legacy): {@code text_completion} of {@code replyTo(<the first prompt>)} in one
 * choice, streamed one word per chunk, a last chunk with {@code finish_reason "stop"}, then {@code data: [DONE]};
 * {@code suffix}, {@code max_tokens}, {@code n}, {@code echo} are accepted and ignored.</li>
 * </ul>
 * A missing or mistyped required parameter is a {@code 400 invalid_request_error} naming it in {@code param}.
 */
public final class OpenAiSimulator implements AutoCloseable {

    public static final String MODEL = "gpt-4o-mini";

    /** A Responses prompt starting with this, in a request offering a function tool, is answered with a call. */
    public static final String TOOL_PREFIX = "use tool: ";

    /** The length of the simulator's embeddings. */
    public static final int EMBEDDING_DIMENSIONS = 8;

    /** What the simulator received. */
    public record Received(String method, String path, String apiKey, String body) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpServer server;
    private final String apiKey;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    private OpenAiSimulator(String apiKey) {
        this.apiKey = apiKey;
    }

    /** Starts on 127.0.0.1:{@code port} (0 for a free port), accepting only {@code apiKey}. */
    public static OpenAiSimulator start(int port, String apiKey) {
        OpenAiSimulator sim = new OpenAiSimulator(apiKey);
        sim.server = SimHttp.start(port, "openai-simulator", sim::handle);
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
                SimHttp.providerJson(ex, 200, list);
            } else if (ex.getRequestMethod().equals("POST") && path.equals("/v1/chat/completions")) {
                chat(ex, body);
            } else if (ex.getRequestMethod().equals("POST") && path.equals("/v1/responses")) {
                responses(ex, body);
            } else if (ex.getRequestMethod().equals("POST") && path.equals("/v1/embeddings")) {
                embeddings(ex, body);
            } else if (ex.getRequestMethod().equals("POST") && path.equals("/v1/completions")) {
                completions(ex, body);
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
            OutputStream out = SimHttp.eventStream(ex);
            boolean includeUsage = includeUsage(req);
            String[] words = reply.split("(?<= )");
            sse(out, withUsage(chunk(id, model, Map.of("role", "assistant", "content", ""), null), includeUsage));
            for (String w : words) {
                sse(out, withUsage(chunk(id, model, Map.of("content", w), null), includeUsage));
            }
            sse(out, withUsage(chunk(id, model, Map.of(), "stop"), includeUsage));
            if (includeUsage) {
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
            SimHttp.providerJson(ex, 200, res);
        }
    }

    // ---- POST /v1/responses ----------------------------------------------------------------------------------------

    private void responses(HttpExchange ex, String body) throws IOException {
        JsonNode req = parse(ex, body);
        if (req == null || invalid(ex, req, "model", "a string", req.path("model").isTextual())) {
            return;
        }
        JsonNode input = req.path("input");
        if (invalid(ex, req, "input", "one of a string or array of input items",
                input.isTextual() || input.isArray())) {
            return;
        }
        for (int i = 0; i < input.size(); i++) {
            if (!input.get(i).isObject()) {
                error(ex, 400, "Invalid type for 'input[" + i + "]': expected an input item, but got " + kind(input.get(i))
                        + " instead.", "invalid_request_error", "input[" + i + "]", "invalid_type");
                return;
            }
        }
        String prompt = responsesPrompt(input);
        String tool = null;
        if (!"none".equals(req.path("tool_choice").asText())) {
            for (JsonNode t : req.path("tools")) {
                if ("function".equals(t.path("type").asText()) && t.path("name").isTextual()) {
                    tool = t.path("name").asText();
                    break;
                }
            }
        }
        boolean toolCall = tool != null && prompt.startsWith(TOOL_PREFIX);
        String reply = toolCall
                ? JSON.writeValueAsString(Map.of("text", prompt.substring(TOOL_PREFIX.length())))
                : replyTo(prompt);
        String suffix = Long.toHexString(System.nanoTime());
        String id = "resp_sim" + suffix;
        String itemId = (toolCall ? "fc_sim" : "msg_sim") + suffix;
        String callId = "call_sim" + suffix;
        long created = System.currentTimeMillis() / 1000;
        int inTokens = words(prompt) + words(req.path("instructions").asText(""));
        ObjectNode usage = JSON.createObjectNode().put("input_tokens", inTokens);
        usage.putObject("input_tokens_details").put("cached_tokens", 0);
        usage.put("output_tokens", words(reply));
        usage.putObject("output_tokens_details").put("reasoning_tokens", 0);
        usage.put("total_tokens", inTokens + words(reply));
        ObjectNode doneItem = toolCall ? functionCall(itemId, "completed", callId, tool, reply)
                : message(itemId, "completed", reply);
        ArrayNode output = JSON.createArrayNode().add(doneItem);
        if (!req.path("stream").asBoolean(false)) {
            SimHttp.providerJson(ex, 200, response(id, created, req, "completed", output, usage));
            return;
        }
        Events events = new Events(SimHttp.eventStream(ex));
        events.event("response.created")
                .set("response", response(id, created, req, "in_progress", JSON.createArrayNode(), null));
        events.send();
        events.event("response.in_progress")
                .set("response", response(id, created, req, "in_progress", JSON.createArrayNode(), null));
        events.send();
        ObjectNode added = events.event("response.output_item.added").put("output_index", 0);
        added.set("item", toolCall ? functionCall(itemId, "in_progress", callId, tool, "") : message(itemId,
                "in_progress", null));
        events.send();
        if (toolCall) {
            for (String piece : pieces(reply, 8)) {
                events.event("response.function_call_arguments.delta").put("item_id", itemId).put("output_index", 0)
                        .put("delta", piece);
                events.send();
            }
            events.event("response.function_call_arguments.done").put("item_id", itemId).put("name", tool)
                    .put("output_index", 0).put("arguments", reply);
            events.send();
        } else {
            events.event("response.content_part.added").put("item_id", itemId).put("output_index", 0)
                    .put("content_index", 0).set("part", outputText(""));
            events.send();
            for (String w : reply.split("(?<= )")) {
                events.event("response.output_text.delta").put("item_id", itemId).put("output_index", 0)
                        .put("content_index", 0).put("delta", w).putArray("logprobs");
                events.send();
            }
            events.event("response.output_text.done").put("item_id", itemId).put("output_index", 0)
                    .put("content_index", 0).put("text", reply).putArray("logprobs");
            events.send();
            events.event("response.content_part.done").put("item_id", itemId).put("output_index", 0)
                    .put("content_index", 0).set("part", outputText(reply));
            events.send();
        }
        events.event("response.output_item.done").put("output_index", 0).set("item", doneItem);
        events.send();
        events.event("response.completed").set("response", response(id, created, req, "completed", output, usage));
        events.send();
    }

    /** The prompt of a Responses request: the last user message's text, or the output of a closing tool call. */
    private static String responsesPrompt(JsonNode input) {
        if (input.isTextual()) {
            return input.asText();
        }
        String prompt = "";
        for (JsonNode item : input) {
            if ("message".equals(item.path("type").asText("message")) && "user".equals(item.path("role").asText())) {
                prompt = texts(item.path("content"));
            }
        }
        JsonNode last = input.isEmpty() ? null : input.get(input.size() - 1);
        if (last != null && "function_call_output".equals(last.path("type").asText())) {
            return "tool said: " + texts(last.path("output"));
        }
        return prompt;
    }

    /** A string, or the {@code input_text} parts of a content array joined with newlines. */
    private static String texts(JsonNode content) {
        if (content.isTextual()) {
            return content.asText();
        }
        List<String> texts = new ArrayList<>();
        for (JsonNode part : content) {
            if ("input_text".equals(part.path("type").asText())) {
                texts.add(part.path("text").asText());
            }
        }
        return String.join("\n", texts);
    }

    /** A Response object; request parameters it reports are echoed, with the API's defaults when absent. */
    private static ObjectNode response(String id, long created, JsonNode req, String status, ArrayNode output,
            ObjectNode usage) {
        ObjectNode r = JSON.createObjectNode().put("id", id).put("object", "response").put("created_at", created)
                .put("status", status).put("background", false);
        r.putNull("error");
        r.putNull("incomplete_details");
        r.set("instructions", echo(req, "instructions", NullNode.getInstance()));
        r.set("max_output_tokens", echo(req, "max_output_tokens", NullNode.getInstance()));
        r.put("model", req.path("model").asText());
        r.set("output", output);
        r.put("parallel_tool_calls", req.path("parallel_tool_calls").asBoolean(true));
        r.set("previous_response_id", echo(req, "previous_response_id", NullNode.getInstance()));
        ObjectNode reasoning = r.putObject("reasoning");
        reasoning.set("effort", echo(req.path("reasoning"), "effort", NullNode.getInstance()));
        reasoning.set("summary", echo(req.path("reasoning"), "summary", NullNode.getInstance()));
        r.put("store", req.path("store").asBoolean(true));
        r.set("temperature", echo(req, "temperature", DoubleNode.valueOf(1.0)));
        r.putObject("text").put("verbosity", "medium").putObject("format").put("type", "text");
        r.set("tool_choice", echo(req, "tool_choice", TextNode.valueOf("auto")));
        r.set("tools", echo(req, "tools", JSON.createArrayNode()));
        r.set("top_p", echo(req, "top_p", DoubleNode.valueOf(1.0)));
        r.set("truncation", echo(req, "truncation", TextNode.valueOf("disabled")));
        r.set("usage", usage == null ? NullNode.getInstance() : usage);
        r.set("user", echo(req, "user", NullNode.getInstance()));
        r.set("metadata", echo(req, "metadata", JSON.createObjectNode()));
        return r;
    }

    private static JsonNode echo(JsonNode req, String name, JsonNode absent) {
        JsonNode v = req.path(name);
        return v.isMissingNode() || v.isNull() ? absent : v.deepCopy();
    }

    /** An assistant message item; {@code text} null for one that has no content yet. */
    private static ObjectNode message(String id, String status, String text) {
        ObjectNode m = JSON.createObjectNode().put("id", id).put("type", "message").put("status", status);
        ArrayNode content = m.putArray("content");
        if (text != null) {
            content.add(outputText(text));
        }
        m.put("role", "assistant");
        return m;
    }

    private static ObjectNode outputText(String text) {
        ObjectNode part = JSON.createObjectNode().put("type", "output_text");
        part.putArray("annotations");
        part.putArray("logprobs");
        return part.put("text", text);
    }

    private static ObjectNode functionCall(String id, String status, String callId, String name, String arguments) {
        return JSON.createObjectNode().put("id", id).put("type", "function_call").put("status", status)
                .put("arguments", arguments).put("call_id", callId).put("name", name);
    }

    /** {@code s} cut into pieces of about {@code size} chars (a surrogate pair is never split). */
    private static List<String> pieces(String s, int size) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            int end = Math.min(s.length(), i + size);
            if (end < s.length() && Character.isHighSurrogate(s.charAt(end - 1))) {
                end++;
            }
            out.add(s.substring(i, end));
            i = end;
        }
        return out;
    }

    /** Server-sent events of the Responses API: {@code event: <type>} and the data, numbered from 0. */
    private static final class Events {
        private final OutputStream out;
        private int sequence;
        private ObjectNode pending;

        Events(OutputStream out) {
            this.out = out;
        }

        /** Starts the next event; fill it in, then {@link #send()}. */
        ObjectNode event(String type) {
            pending = JSON.createObjectNode().put("type", type).put("sequence_number", sequence++);
            return pending;
        }

        void send() throws IOException {
            out.write(("event: " + pending.get("type").asText() + "\ndata: " + JSON.writeValueAsString(pending)
                    + "\n\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }

    // ---- POST /v1/embeddings ---------------------------------------------------------------------------------------

    private void embeddings(HttpExchange ex, String body) throws IOException {
        JsonNode req = parse(ex, body);
        if (req == null || invalid(ex, req, "model", "a string", req.path("model").isTextual())) {
            return;
        }
        JsonNode input = req.path("input");
        if (invalid(ex, req, "input", "one of a string or array of strings or array of tokens",
                input.isTextual() || input.isArray())) {
            return;
        }
        // The texts embedded, and their token counts: a string counts its words, a token array its tokens.
        List<String> texts = new ArrayList<>();
        int tokens = 0;
        if (input.isTextual()) {
            texts.add(input.asText());
            tokens = words(input.asText());
        } else if (!input.isEmpty() && all(input, JsonNode::isIntegralNumber)) {
            texts.add(input.toString());
            tokens = input.size();
        } else if (!input.isEmpty() && all(input, JsonNode::isTextual)) {
            for (JsonNode s : input) {
                texts.add(s.asText());
                tokens += words(s.asText());
            }
        } else if (!input.isEmpty() && all(input, n -> n.isArray() && !n.isEmpty() && all(n, JsonNode::isIntegralNumber))) {
            for (JsonNode a : input) {
                texts.add(a.toString());
                tokens += a.size();
            }
        }
        if (texts.isEmpty() || texts.contains("")) {
            error(ex, 400, "'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.",
                    "invalid_request_error", null);
            return;
        }
        String format = req.path("encoding_format").asText("float");
        if (!format.equals("float") && !format.equals("base64")) {
            error(ex, 400, "Invalid value for 'encoding_format': expected one of 'float' or 'base64'.",
                    "invalid_request_error", "encoding_format", "invalid_value");
            return;
        }
        ObjectNode res = JSON.createObjectNode().put("object", "list");
        ArrayNode data = res.putArray("data");
        for (int i = 0; i < texts.size(); i++) {
            float[] vector = embeddingOf(texts.get(i));
            ObjectNode e = data.addObject().put("object", "embedding").put("index", i);
            if (format.equals("base64")) {
                ByteBuffer bytes = ByteBuffer.allocate(vector.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                for (float f : vector) {
                    bytes.putFloat(f);
                }
                e.put("embedding", Base64.getEncoder().encodeToString(bytes.array()));
            } else {
                ArrayNode floats = e.putArray("embedding");
                for (float f : vector) {
                    floats.add(f);
                }
            }
        }
        res.put("model", req.path("model").asText());
        res.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
        SimHttp.providerJson(ex, 200, res);
    }

    /**
     * The embedding the simulator gives {@code text}: {@value #EMBEDDING_DIMENSIONS} floats from its SHA-256, scaled to
     * unit length. A token array is embedded as its JSON text ({@code "[1,2,3]"}).
     */
    public static float[] embeddingOf(String text) {
        byte[] hash;
        try {
            hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        ByteBuffer bits = ByteBuffer.wrap(hash);
        double[] raw = new double[EMBEDDING_DIMENSIONS];
        double norm = 0;
        for (int i = 0; i < raw.length; i++) {
            raw[i] = bits.getInt() / (double) Integer.MAX_VALUE;
            norm += raw[i] * raw[i];
        }
        float[] out = new float[raw.length];
        for (int i = 0; i < raw.length; i++) {
            out[i] = (float) (raw[i] / Math.sqrt(norm));
        }
        return out;
    }

    // ---- POST /v1/completions --------------------------------------------------------------------------------------

    private void completions(HttpExchange ex, String body) throws IOException {
        JsonNode req = parse(ex, body);
        if (req == null || invalid(ex, req, "model", "a string", req.path("model").isTextual())) {
            return;
        }
        JsonNode p = req.path("prompt");
        if (invalid(ex, req, "prompt", "one of a string or array of strings or array of tokens",
                p.isTextual() || p.isArray() && !p.isEmpty())) {
            return;
        }
        // The first prompt: a string; a token array (or the first of several) is taken as its JSON text.
        String prompt = p.isTextual() ? p.asText()
                : p.get(0).isTextual() ? p.get(0).asText()
                : p.get(0).isArray() ? p.get(0).toString() : p.toString();
        String reply = replyTo(prompt);
        String model = req.path("model").asText();
        String id = "cmpl-sim" + Long.toHexString(System.nanoTime());
        if (!req.path("stream").asBoolean(false)) {
            ObjectNode res = completion(id, model);
            res.putArray("choices").addObject().put("text", reply).put("index", 0).putNull("logprobs")
                    .put("finish_reason", "stop");
            res.set("usage", usage(prompt, reply));
            SimHttp.providerJson(ex, 200, res);
            return;
        }
        OutputStream out = SimHttp.eventStream(ex);
        List<String> words = new ArrayList<>(List.of(reply.split("(?<= )")));
        words.add("");
        for (int i = 0; i < words.size(); i++) {
            ObjectNode c = completion(id, model);
            ObjectNode choice = c.putArray("choices").addObject().put("text", words.get(i)).put("index", 0);
            choice.putNull("logprobs");
            if (i == words.size() - 1) {
                choice.put("finish_reason", "stop");
            } else {
                choice.putNull("finish_reason");
            }
            sse(out, withUsage(c, includeUsage(req)));
        }
        if (includeUsage(req)) {
            ObjectNode c = completion(id, model);
            c.putArray("choices");
            c.set("usage", usage(prompt, reply));
            sse(out, c);
        }
        out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static ObjectNode completion(String id, String model) {
        return JSON.createObjectNode().put("id", id).put("object", "text_completion")
                .put("created", System.currentTimeMillis() / 1000).put("model", model);
    }

    // ---- shared ----------------------------------------------------------------------------------------------------

    /** The request as a JSON object, or null after answering 400. */
    private static JsonNode parse(HttpExchange ex, String body) throws IOException {
        try {
            JsonNode req = JSON.readTree(body);
            if (req != null && req.isObject()) {
                return req;
            }
        } catch (IOException e) {
            // answered below
        }
        error(ex, 400, "We could not parse the JSON body of your request.", "invalid_request_error", null);
        return null;
    }

    /** Unless {@code ok}, answers OpenAI's 400 for a required parameter that is missing or of the wrong type. */
    private static boolean invalid(HttpExchange ex, JsonNode req, String param, String expected, boolean ok)
            throws IOException {
        if (ok) {
            return false;
        }
        JsonNode v = req.path(param);
        if (v.isMissingNode() || v.isNull()) {
            error(ex, 400, "Missing required parameter: '" + param + "'.", "invalid_request_error", param,
                    "missing_required_parameter");
        } else {
            error(ex, 400, "Invalid type for '" + param + "': expected " + expected + ", but got " + kind(v)
                    + " instead.", "invalid_request_error", param, "invalid_type");
        }
        return true;
    }

    private static String kind(JsonNode v) {
        return v.isTextual() ? "a string" : v.isBoolean() ? "a boolean" : v.isIntegralNumber() ? "an integer"
                : v.isNumber() ? "a decimal" : v.isArray() ? (v.isEmpty() ? "an empty array" : "an array")
                : v.isNull() ? "null" : "an object";
    }

    private static boolean all(JsonNode array, Predicate<JsonNode> test) {
        for (JsonNode n : array) {
            if (!test.test(n)) {
                return false;
            }
        }
        return true;
    }

    private static int words(String s) {
        return s.isBlank() ? 0 : s.trim().split("\\s+").length;
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

    private static boolean includeUsage(JsonNode req) {
        return req.path("stream_options").path("include_usage").asBoolean(false);
    }

    /**
     * As documented for {@code stream_options.include_usage}: the usage comes in an extra last chunk, and every other
     * chunk carries {@code "usage": null}.
     */
    private static ObjectNode withUsage(ObjectNode chunk, boolean includeUsage) {
        return includeUsage ? chunk.putNull("usage") : chunk;
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

    private static void error(HttpExchange ex, int status, String message, String type, String code) throws IOException {
        error(ex, status, message, type, null, code);
    }

    private static void error(HttpExchange ex, int status, String message, String type, String param, String code)
            throws IOException {
        ObjectNode err = JSON.createObjectNode();
        ObjectNode e = err.putObject("error").put("message", message).put("type", type);
        if (param == null) {
            e.putNull("param");
        } else {
            e.put("param", param);
        }
        if (code == null) {
            e.putNull("code");
        } else {
            e.put("code", code);
        }
        SimHttp.providerJson(ex, status, err);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
