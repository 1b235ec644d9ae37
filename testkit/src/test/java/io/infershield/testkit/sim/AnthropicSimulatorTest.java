package io.infershield.testkit.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AnthropicSimulatorTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String KEY = "sk-ant-test-key";
    static final String VERSION = "2023-06-01";
    static final String TOOLS = "\"tools\":[{\"name\":\"run_command\",\"description\":\"Runs a shell command\","
            + "\"input_schema\":{\"type\":\"object\",\"properties\":{\"text\":{\"type\":\"string\"}}}}]";

    static final HttpClient http = HttpClient.newHttpClient();
    AnthropicSimulator sim;

    @BeforeEach
    void start() {
        sim = AnthropicSimulator.start(0, KEY);
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    // ---- helpers ---------------------------------------------------------------------------------------------------

    /** Sends with {@code headers} (name, value, name, value…) and no others but Content-Type. */
    HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sim.baseUrl() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String body) throws Exception {
        return send("POST", path, body, "x-api-key", KEY, "anthropic-version", VERSION);
    }

    static String ask(String prompt, String extra) throws Exception {
        return "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":1024," + extra
                + "\"messages\":[{\"role\":\"user\",\"content\":" + JSON.writeValueAsString(prompt) + "}]}";
    }

    /** Asserts the documented error shape, with the {@code request_id} of the {@code request-id} header. */
    static void assertError(HttpResponse<String> r, int status, String type, String message) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(null));
        JsonNode b = JSON.readTree(r.body());
        assertEquals(Map.of("type", "error", "error", Map.of("type", type, "message", message),
                "request_id", r.headers().firstValue("request-id").orElseThrow()), JSON.convertValue(b, Map.class));
        assertTrue(b.get("request_id").asText().startsWith("req_"), r.body());
    }

    record Event(String name, JsonNode data) {
    }

    static List<Event> events(HttpResponse<String> r) throws Exception {
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("text/event-stream; charset=utf-8", r.headers().firstValue("Content-Type").orElse(null));
        assertEquals("no-cache", r.headers().firstValue("Cache-Control").orElse(null));
        assertTrue(r.body().endsWith("\n\n"), r.body());
        List<Event> out = new ArrayList<>();
        for (String block : r.body().split("\n\n")) {
            String[] lines = block.split("\n");
            assertEquals(2, lines.length, block);
            assertTrue(lines[0].startsWith("event: ") && lines[1].startsWith("data: "), block);
            Event e = new Event(lines[0].substring(7), JSON.readTree(lines[1].substring(6)));
            assertEquals(e.name(), e.data().get("type").asText(), "data's type is the event's name: " + block);
            out.add(e);
        }
        return out;
    }

    // ---- auth, headers, errors -------------------------------------------------------------------------------------

    @Test
    void wrongOrMissingKeyIs401AuthenticationError() throws Exception {
        assertError(send("POST", "/messages", ask("hi", ""), "x-api-key", "sk-ant-wrong", "anthropic-version",
                VERSION), 401, "authentication_error", "invalid x-api-key");
        assertError(send("POST", "/messages", ask("hi", ""), "Authorization", "Bearer sk-ant-wrong",
                "anthropic-version", VERSION), 401, "authentication_error", "invalid x-api-key");
        assertError(send("POST", "/messages", ask("hi", ""), "anthropic-version", VERSION), 401,
                "authentication_error", "x-api-key header is required");
        assertError(send("GET", "/models", null), 401, "authentication_error", "x-api-key header is required");
    }

    @Test
    void oauthBearerTokenIsAccepted() throws Exception {
        HttpResponse<String> r = send("POST", "/messages", ask("hi", ""), "Authorization", "Bearer " + KEY,
                "anthropic-version", VERSION, "anthropic-beta", "oauth-2025-04-20");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("Echo: hi", JSON.readTree(r.body()).at("/content/0/text").asText());
        AnthropicSimulator.Received got = sim.received().get(0);
        assertEquals("bearer", got.scheme());
        assertEquals(KEY, got.apiKey());
        assertEquals("oauth-2025-04-20", got.anthropicBeta());
    }

    @Test
    void anthropicVersionHeaderIsRequiredEverywhere() throws Exception {
        for (String[] route : new String[][] {{"POST", "/messages"}, {"POST", "/messages/count_tokens"},
                {"GET", "/models"}}) {
            assertError(send(route[0], route[1], route[0].equals("GET") ? null : ask("hi", ""), "x-api-key", KEY),
                    400, "invalid_request_error", "anthropic-version: header is required");
        }
    }

    @Test
    void requestsAreValidatedAsDocumented() throws Exception {
        String msgs = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";
        assertError(post("/messages", "{\"model\":\"m\"," + msgs + "}"), 400, "invalid_request_error",
                "max_tokens: Field required");
        assertError(post("/messages", "{\"model\":\"m\",\"max_tokens\":0," + msgs + "}"), 400,
                "invalid_request_error", "max_tokens: Input should be greater than or equal to 1");
        assertError(post("/messages", "{\"model\":\"m\",\"max_tokens\":\"10\"," + msgs + "}"), 400,
                "invalid_request_error", "max_tokens: Input should be a valid integer");
        assertError(post("/messages", "{\"max_tokens\":10," + msgs + "}"), 400, "invalid_request_error",
                "model: Field required");
        assertError(post("/messages", "{\"model\":\"m\",\"max_tokens\":10,\"messages\":[]}"), 400,
                "invalid_request_error", "messages: at least one message is required");
        assertError(post("/messages", "{\"model\":\"m\",\"max_tokens\":10}"), 400, "invalid_request_error",
                "messages: Field required");
        assertError(post("/messages", "{\"model\":\"m\",\"max_tokens\":10,\"messages\":[{\"role\":\"system\","
                + "\"content\":\"hi\"}]}"), 400, "invalid_request_error",
                "messages.0.role: Input should be 'user' or 'assistant'");
        assertError(post("/messages", "{\"model\":\"m\",\"max_tokens\":10,\"system\":[{\"type\":\"image\"}]," + msgs
                + "}"), 400, "invalid_request_error", "system.0.type: Input should be 'text'");
        assertError(post("/messages", "not json"), 400, "invalid_request_error", "The request body is not valid JSON.");
        assertError(post("/messages", "[1]"), 400, "invalid_request_error", "The request body must be a JSON object.");
    }

    @Test
    void unknownPathsAre404NotFound() throws Exception {
        assertError(post("/complete", ask("hi", "")), 404, "not_found_error", "Not Found");
        assertError(send("GET", "/messages", null, "x-api-key", KEY, "anthropic-version", VERSION), 404,
                "not_found_error", "Not Found");
    }

    // ---- messages --------------------------------------------------------------------------------------------------

    @Test
    void nonStreamedAnswerIsAMessageEchoingTheLastUserText() throws Exception {
        String body = "{\"model\":\"claude-opus-4-1\",\"max_tokens\":64,"
                + "\"system\":[{\"type\":\"text\",\"text\":\"Be brief.\",\"cache_control\":{\"type\":\"ephemeral\"}}],"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"first question\"},"
                + "{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"first answer\"}]},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"look at\"},"
                + "{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"iVBO\"}},"
                + "{\"type\":\"text\",\"text\":\"this picture\"}]}]}";
        HttpResponse<String> r = post("/messages", body);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(null));
        assertTrue(r.headers().firstValue("request-id").orElse("").startsWith("req_"));
        JsonNode m = JSON.readTree(r.body());
        assertTrue(m.get("id").asText().startsWith("msg_"), r.body());
        assertEquals("message", m.get("type").asText());
        assertEquals("assistant", m.get("role").asText());
        assertEquals("claude-opus-4-1", m.get("model").asText());
        assertEquals(JSON.readTree("[{\"type\":\"text\",\"text\":\"Echo: look at\\nthis picture\"}]"), m.get("content"));
        assertEquals("end_turn", m.get("stop_reason").asText());
        assertTrue(m.get("stop_sequence").isNull());
        // words: "Be brief." 2 + "first question" 2 + "first answer" 2 + "look at" / "this picture" 4
        assertEquals(JSON.readTree("{\"input_tokens\":10,\"output_tokens\":5}"), m.get("usage"));
    }

    @Test
    void streamedAnswerFollowsTheDocumentedEventFlow() throws Exception {
        List<Event> events = events(post("/messages", ask("stream me please", "\"stream\":true,")));
        assertEquals(List.of("message_start", "content_block_start", "ping", "content_block_delta",
                "content_block_delta", "content_block_delta", "content_block_delta", "content_block_stop",
                "message_delta", "message_stop"), events.stream().map(Event::name).toList());
        JsonNode start = events.get(0).data().get("message");
        assertTrue(start.get("id").asText().startsWith("msg_"));
        assertEquals(JSON.createArrayNode(), start.get("content"));
        assertTrue(start.get("stop_reason").isNull());
        assertEquals(3, start.at("/usage/input_tokens").asInt());
        assertEquals(JSON.readTree("{\"type\":\"content_block_start\",\"index\":0,"
                + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"), events.get(1).data());
        StringBuilder text = new StringBuilder();
        for (Event e : events.subList(3, 7)) {
            assertEquals(0, e.data().get("index").asInt());
            assertEquals("text_delta", e.data().at("/delta/type").asText());
            text.append(e.data().at("/delta/text").asText());
        }
        assertEquals(AnthropicSimulator.replyTo("stream me please"), text.toString());
        assertEquals(JSON.readTree("{\"type\":\"content_block_stop\",\"index\":0}"), events.get(7).data());
        assertEquals(JSON.readTree("{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
                + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":4}}"), events.get(8).data());
    }

    @Test
    void toolUseIsAskedForWhenToolsAreOfferedAndThePromptSaysSo() throws Exception {
        JsonNode m = JSON.readTree(post("/messages", ask("use tool: ls -la /tmp", TOOLS + ",")).body());
        assertEquals("tool_use", m.get("stop_reason").asText());
        assertEquals(2, m.get("content").size(), m.toString());
        assertEquals(JSON.readTree("{\"type\":\"text\",\"text\":\"Calling the tool.\"}"), m.at("/content/0"));
        JsonNode call = m.at("/content/1");
        assertEquals("tool_use", call.get("type").asText());
        assertTrue(call.get("id").asText().startsWith("toolu_"), call.toString());
        assertEquals("run_command", call.get("name").asText());
        assertEquals(JSON.readTree("{\"text\":\"ls -la /tmp\"}"), call.get("input"));

        JsonNode noTools = JSON.readTree(post("/messages", ask("use tool: ls", "")).body());
        assertEquals("end_turn", noTools.get("stop_reason").asText());
        assertEquals("Echo: use tool: ls", noTools.at("/content/0/text").asText());
    }

    @Test
    void streamedToolUseSendsItsInputAsPartialJsonCutMidValue() throws Exception {
        List<Event> events = events(post("/messages", ask("use tool: list the files", TOOLS + ",\"stream\":true,")));
        List<String> names = events.stream().map(Event::name).toList();
        assertEquals(List.of("message_start", "content_block_start", "ping", "content_block_delta",
                "content_block_delta", "content_block_delta", "content_block_stop", "content_block_start"),
                names.subList(0, 8));
        assertEquals(List.of("content_block_stop", "message_delta", "message_stop"),
                names.subList(names.size() - 3, names.size()));
        JsonNode block = events.get(7).data();
        assertEquals(1, block.get("index").asInt());
        assertEquals("tool_use", block.at("/content_block/type").asText());
        assertEquals("run_command", block.at("/content_block/name").asText());
        assertTrue(block.at("/content_block/id").asText().startsWith("toolu_"));
        assertEquals(JSON.createObjectNode(), block.at("/content_block/input"));
        StringBuilder partial = new StringBuilder();
        boolean cutsValue = false;
        for (Event e : events.subList(8, events.size() - 3)) {
            assertEquals("content_block_delta", e.name());
            assertEquals(1, e.data().get("index").asInt());
            assertEquals("input_json_delta", e.data().at("/delta/type").asText());
            String piece = e.data().at("/delta/partial_json").asText();
            cutsValue |= piece.contains("list") && !piece.contains("list the files");
            partial.append(piece);
        }
        assertEquals(JSON.readTree("{\"text\":\"list the files\"}"), JSON.readTree(partial.toString()));
        assertTrue(cutsValue, "a delta cuts the value: " + partial);
        assertEquals("tool_use", events.get(events.size() - 2).data().at("/delta/stop_reason").asText());
    }

    // ---- count_tokens, models, records -----------------------------------------------------------------------------

    @Test
    void countTokensCountsTheWordsOfSystemAndMessages() throws Exception {
        String body = "{\"model\":\"claude-sonnet-4-5\",\"system\":\"You are terse.\",\"messages\":["
                + "{\"role\":\"user\",\"content\":\"run it\"},"
                + "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"x\","
                + "\"input\":{}}]},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_1\","
                + "\"content\":[{\"type\":\"text\",\"text\":\"three words here\"}]},{\"type\":\"text\",\"text\":\"ok\"}]}]}";
        HttpResponse<String> r = post("/messages/count_tokens", body);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(JSON.readTree("{\"input_tokens\":9}"), JSON.readTree(r.body()));
        assertError(post("/messages/count_tokens", "{\"model\":\"m\"}"), 400, "invalid_request_error",
                "messages: Field required");
    }

    @Test
    void modelsListsTheSimulatedModel() throws Exception {
        HttpResponse<String> r = send("GET", "/models", null, "x-api-key", KEY, "anthropic-version", VERSION);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(JSON.readTree("{\"data\":[{\"type\":\"model\",\"id\":\"claude-sonnet-4-5\","
                + "\"display_name\":\"Claude Sonnet 4.5\",\"created_at\":\"2025-09-29T00:00:00Z\"}],"
                + "\"has_more\":false,\"first_id\":\"claude-sonnet-4-5\",\"last_id\":\"claude-sonnet-4-5\"}"),
                JSON.readTree(r.body()));
    }

    @Test
    void everyRequestIsRecordedRejectedOnesToo() throws Exception {
        String body = ask("hi", "");
        post("/messages", body);
        send("POST", "/messages", body, "x-api-key", "sk-ant-wrong");
        send("GET", "/models", null);
        List<AnthropicSimulator.Received> got = sim.received();
        assertEquals(new AnthropicSimulator.Received("POST", "/v1/messages", KEY, "x-api-key", VERSION, null, body),
                got.get(0));
        assertEquals(new AnthropicSimulator.Received("POST", "/v1/messages", "sk-ant-wrong", "x-api-key", null, null,
                body), got.get(1));
        AnthropicSimulator.Received anonymous = got.get(2);
        assertEquals("GET", anonymous.method());
        assertEquals("/v1/models", anonymous.path());
        assertNull(anonymous.apiKey());
        assertNull(anonymous.scheme());
        assertEquals("", anonymous.body());
        assertEquals(3, got.size());
    }

    @Test
    void baseUrlIncludesV1() {
        assertEquals("http://127.0.0.1:" + URI.create(sim.baseUrl()).getPort() + "/v1", sim.baseUrl());
    }
}
