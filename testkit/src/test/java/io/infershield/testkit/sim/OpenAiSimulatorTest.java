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
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpenAiSimulatorTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String KEY = "sk-test-org-key";
    static final String TOOLS = "\"tools\":[{\"type\":\"web_search\"},{\"type\":\"function\",\"name\":\"shell\","
            + "\"description\":\"Runs a command\",\"parameters\":{\"type\":\"object\",\"properties\":{\"text\":"
            + "{\"type\":\"string\"}}}},{\"type\":\"function\",\"name\":\"other\",\"parameters\":{}}]";

    static final HttpClient http = HttpClient.newHttpClient();
    OpenAiSimulator sim;

    @BeforeEach
    void start() {
        sim = OpenAiSimulator.start(0, KEY);
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    // ---- helpers ---------------------------------------------------------------------------------------------------

    HttpResponse<String> post(String path, String body, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sim.baseUrl() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String body) throws Exception {
        return post(path, body, KEY);
    }

    JsonNode ok(HttpResponse<String> r) throws Exception {
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(null));
        return JSON.readTree(r.body());
    }

    static void assertError(HttpResponse<String> r, int status, String message, String param, String code)
            throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(null));
        Map<String, Object> error = new HashMap<>();
        error.put("message", message);
        error.put("type", "invalid_request_error");
        error.put("param", param);
        error.put("code", code);
        assertEquals(Map.of("error", error), JSON.readValue(r.body(), Map.class));
    }

    record Event(String name, JsonNode data) {
    }

    /** The Responses API's events: {@code event:} and {@code data:} lines, numbered from 0, no {@code [DONE]}. */
    static List<Event> events(HttpResponse<String> r) throws Exception {
        assertSse(r);
        assertFalse(r.body().contains("[DONE]"), r.body());
        List<Event> out = new ArrayList<>();
        for (String block : r.body().split("\n\n")) {
            String[] lines = block.split("\n");
            assertEquals(2, lines.length, block);
            assertTrue(lines[0].startsWith("event: ") && lines[1].startsWith("data: "), block);
            Event e = new Event(lines[0].substring(7), JSON.readTree(lines[1].substring(6)));
            assertEquals(e.name(), e.data().get("type").asText(), "data's type is the event's name: " + block);
            assertEquals(out.size(), e.data().get("sequence_number").asInt(), block);
            out.add(e);
        }
        return out;
    }

    /** Chat/completions-style {@code data:} chunks; asserts the stream ends with {@code data: [DONE]}. */
    static List<JsonNode> chunks(HttpResponse<String> r) throws Exception {
        assertSse(r);
        assertTrue(r.body().endsWith("data: [DONE]\n\n"), r.body());
        List<JsonNode> out = new ArrayList<>();
        String[] blocks = r.body().split("\n\n");
        for (int i = 0; i < blocks.length - 1; i++) {
            assertTrue(blocks[i].startsWith("data: ") && !blocks[i].contains("\n"), blocks[i]);
            out.add(JSON.readTree(blocks[i].substring(6)));
        }
        return out;
    }

    static void assertSse(HttpResponse<String> r) {
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("text/event-stream; charset=utf-8", r.headers().firstValue("Content-Type").orElse(null));
        assertEquals("no-cache", r.headers().firstValue("Cache-Control").orElse(null));
        assertTrue(r.body().endsWith("\n\n"), r.body());
    }

    static List<String> names(List<Event> events) {
        return events.stream().map(Event::name).toList();
    }

    // ---- existing endpoints ----------------------------------------------------------------------------------------

    @Test
    void modelsAndChatCompletionsAreAsBefore() throws Exception {
        HttpResponse<String> models = http.send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/models"))
                .header("Authorization", "Bearer " + KEY).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(OpenAiSimulator.MODEL, ok(models).at("/data/0/id").asText());

        String chat = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hello there\"}]";
        JsonNode whole = ok(post("/chat/completions", chat + "}"));
        assertEquals("chat.completion", whole.get("object").asText());
        assertEquals("Echo: hello there", whole.at("/choices/0/message/content").asText());

        List<JsonNode> chunks = chunks(post("/chat/completions", chat + ",\"stream\":true}"));
        StringBuilder text = new StringBuilder();
        chunks.forEach(c -> text.append(c.at("/choices/0/delta/content").asText("")));
        assertEquals("Echo: hello there", text.toString());
        assertEquals("stop", chunks.get(chunks.size() - 1).at("/choices/0/finish_reason").asText());

        assertError(post("/chat/completions", chat + "}", "sk-wrong"), 401, "Incorrect API key provided.", null,
                "invalid_api_key");
    }

    @Test
    void aChatStreamReportsUsageOnlyWhenAskedInAnExtraChunkWithNoChoices() throws Exception {
        String chat = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hello there\"}],"
                + "\"stream\":true";
        List<JsonNode> plain = chunks(post("/chat/completions", chat + "}"));
        assertTrue(plain.stream().noneMatch(c -> c.has("usage")), plain.toString());

        List<JsonNode> counted = chunks(post("/chat/completions", chat + ",\"stream_options\":{\"include_usage\":true}}"));
        assertEquals(plain.size() + 1, counted.size());
        for (JsonNode c : counted.subList(0, plain.size())) {
            assertTrue(c.get("usage").isNull(), c.toString());
            assertEquals(1, c.get("choices").size());
        }
        JsonNode last = counted.get(plain.size());
        assertEquals(0, last.get("choices").size());
        assertEquals(JSON.readTree("{\"prompt_tokens\":2,\"completion_tokens\":3,\"total_tokens\":5}"), last.get("usage"));
    }

    // ---- /v1/responses ---------------------------------------------------------------------------------------------

    @Test
    void responsesAnswersAStringInputWithADocumentedResponseObject() throws Exception {
        JsonNode r = ok(post("/responses", "{\"model\":\"gpt-5-codex\",\"input\":\"list the files\","
                + "\"instructions\":\"You are Codex.\",\"store\":false,\"metadata\":{\"k\":\"v\"}}"));
        assertTrue(r.get("id").asText().startsWith("resp_"), r.toString());
        assertEquals("response", r.get("object").asText());
        assertTrue(r.get("created_at").isIntegralNumber());
        assertEquals("completed", r.get("status").asText());
        assertEquals("gpt-5-codex", r.get("model").asText());
        assertTrue(r.get("error").isNull());
        assertTrue(r.get("incomplete_details").isNull());
        assertEquals("You are Codex.", r.get("instructions").asText());
        assertTrue(r.get("parallel_tool_calls").asBoolean());
        assertFalse(r.get("store").asBoolean());
        assertEquals("text", r.at("/text/format/type").asText());
        assertEquals("auto", r.get("tool_choice").asText());
        assertEquals(JSON.createArrayNode(), r.get("tools"));
        assertEquals("v", r.at("/metadata/k").asText());

        assertEquals(1, r.get("output").size());
        JsonNode msg = r.at("/output/0");
        assertEquals("message", msg.get("type").asText());
        assertTrue(msg.get("id").asText().startsWith("msg_"), msg.toString());
        assertEquals("completed", msg.get("status").asText());
        assertEquals("assistant", msg.get("role").asText());
        assertEquals(1, msg.get("content").size());
        assertEquals("output_text", msg.at("/content/0/type").asText());
        assertEquals("Echo: list the files", msg.at("/content/0/text").asText());
        assertEquals(JSON.createArrayNode(), msg.at("/content/0/annotations"));

        // words: "list the files" + "You are Codex." in, "Echo: list the files" out
        assertEquals(6, r.at("/usage/input_tokens").asInt());
        assertEquals(4, r.at("/usage/output_tokens").asInt());
        assertEquals(10, r.at("/usage/total_tokens").asInt());
    }

    @Test
    void responsesPromptIsTheLastUserMessageOrAClosingToolOutput() throws Exception {
        String items = "{\"role\":\"developer\",\"content\":\"be brief\"},"
                + "{\"type\":\"message\",\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"first\"}]},"
                + "{\"type\":\"message\",\"role\":\"assistant\",\"content\":[{\"type\":\"output_text\","
                + "\"text\":\"ok\"}]},"
                + "{\"type\":\"message\",\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"line one\"},"
                + "{\"type\":\"input_image\",\"image_url\":\"data:image/png;base64,AAAA\"},"
                + "{\"type\":\"input_text\",\"text\":\"line two\"}]},"
                + "{\"type\":\"reasoning\",\"id\":\"rs_1\",\"summary\":[],\"encrypted_content\":\"xyz\"},"
                + "{\"type\":\"some_future_item\",\"data\":42}";
        JsonNode r = ok(post("/responses", "{\"model\":\"m\",\"input\":[" + items + "]}"));
        assertEquals("Echo: line one\nline two", r.at("/output/0/content/0/text").asText());

        r = ok(post("/responses", "{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"content\":\"plain\"}]}"));
        assertEquals("Echo: plain", r.at("/output/0/content/0/text").asText());

        String toolRound = "{\"role\":\"user\",\"content\":\"use tool: ls\"},"
                + "{\"type\":\"function_call\",\"call_id\":\"call_1\",\"name\":\"shell\",\"arguments\":\"{}\"},"
                + "{\"type\":\"function_call_output\",\"call_id\":\"call_1\",\"output\":\"a.txt b.txt\"}";
        r = ok(post("/responses", "{\"model\":\"m\"," + TOOLS + ",\"input\":[" + toolRound + "]}"));
        assertEquals("message", r.at("/output/0/type").asText());
        assertEquals("Echo: tool said: a.txt b.txt", r.at("/output/0/content/0/text").asText());
    }

    @Test
    void responsesStreamsTheDocumentedEventSequence() throws Exception {
        List<Event> events = events(post("/responses", "{\"model\":\"gpt-5\",\"stream\":true,"
                + "\"input\":[{\"role\":\"user\",\"content\":\"stream this reply\"}]}"));
        String reply = "Echo: stream this reply";
        assertEquals(List.of("response.created", "response.in_progress", "response.output_item.added",
                "response.content_part.added", "response.output_text.delta", "response.output_text.delta",
                "response.output_text.delta", "response.output_text.delta", "response.output_text.done",
                "response.content_part.done", "response.output_item.done", "response.completed"), names(events));

        JsonNode created = events.get(0).data().get("response");
        assertEquals("in_progress", created.get("status").asText());
        assertEquals(0, created.get("output").size());
        assertTrue(created.get("usage").isNull());
        assertEquals("in_progress", events.get(1).data().at("/response/status").asText());
        String respId = created.get("id").asText();

        JsonNode added = events.get(2).data();
        assertEquals(0, added.get("output_index").asInt());
        assertEquals("message", added.at("/item/type").asText());
        assertEquals("in_progress", added.at("/item/status").asText());
        assertEquals(0, added.at("/item/content").size());
        String itemId = added.at("/item/id").asText();
        assertTrue(itemId.startsWith("msg_"), itemId);

        JsonNode part = events.get(3).data();
        assertEquals(itemId, part.get("item_id").asText());
        assertEquals("output_text", part.at("/part/type").asText());
        assertEquals("", part.at("/part/text").asText());

        StringBuilder text = new StringBuilder();
        for (Event e : events.subList(4, 8)) {
            assertEquals(itemId, e.data().get("item_id").asText());
            assertEquals(0, e.data().get("output_index").asInt());
            assertEquals(0, e.data().get("content_index").asInt());
            text.append(e.data().get("delta").asText());
        }
        assertEquals("Echo: ", events.get(4).data().get("delta").asText());
        assertEquals(reply, text.toString());

        assertEquals(reply, events.get(8).data().get("text").asText());
        assertEquals(itemId, events.get(8).data().get("item_id").asText());
        assertEquals(reply, events.get(9).data().at("/part/text").asText());
        JsonNode doneItem = events.get(10).data().get("item");
        assertEquals("completed", doneItem.get("status").asText());
        assertEquals(reply, doneItem.at("/content/0/text").asText());

        JsonNode completed = events.get(11).data().get("response");
        assertEquals(respId, completed.get("id").asText());
        assertEquals("completed", completed.get("status").asText());
        assertEquals(doneItem, completed.at("/output/0"));
        assertEquals(1, completed.get("output").size());
        assertEquals(3, completed.at("/usage/input_tokens").asInt());
        assertEquals(4, completed.at("/usage/output_tokens").asInt());
    }

    @Test
    void responsesCallsTheFirstFunctionToolWhenAskedTo() throws Exception {
        String ask = "{\"model\":\"m\"," + TOOLS + ",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":"
                + "\"input_text\",\"text\":\"use tool: cat /etc/hosts\"}]}]";
        String args = "{\"text\":\"cat /etc/hosts\"}";
        JsonNode r = ok(post("/responses", ask + "}"));
        assertEquals(1, r.get("output").size());
        JsonNode call = r.at("/output/0");
        assertEquals("function_call", call.get("type").asText());
        assertTrue(call.get("id").asText().startsWith("fc_"), call.toString());
        assertTrue(call.get("call_id").asText().startsWith("call_"), call.toString());
        assertEquals("shell", call.get("name").asText());
        assertEquals(args, call.get("arguments").asText());
        assertEquals("completed", call.get("status").asText());
        assertEquals(3, r.get("tools").size());

        List<Event> events = events(post("/responses", ask + ",\"stream\":true}"));
        List<String> names = names(events);
        assertEquals(List.of("response.created", "response.in_progress", "response.output_item.added"),
                names.subList(0, 3));
        assertEquals(List.of("response.function_call_arguments.done", "response.output_item.done",
                "response.completed"), names.subList(names.size() - 3, names.size()));
        List<Event> deltas = events.subList(3, events.size() - 3);
        assertTrue(deltas.size() > 2, names.toString());
        assertTrue(deltas.stream().allMatch(e -> e.name().equals("response.function_call_arguments.delta")),
                names.toString());

        JsonNode added = events.get(2).data().get("item");
        assertEquals("function_call", added.get("type").asText());
        assertEquals("", added.get("arguments").asText());
        assertEquals("shell", added.get("name").asText());
        assertEquals("in_progress", added.get("status").asText());
        String itemId = added.get("id").asText();

        StringBuilder joined = new StringBuilder();
        boolean valueSplit = false;
        for (Event d : deltas) {
            assertEquals(itemId, d.data().get("item_id").asText());
            assertEquals(0, d.data().get("output_index").asInt());
            String piece = d.data().get("delta").asText();
            assertTrue(piece.length() <= 8, piece);
            valueSplit |= piece.contains("cat") && !piece.contains("hosts");
            joined.append(piece);
        }
        assertTrue(valueSplit, "the value is cut across deltas");
        assertEquals(args, joined.toString());

        JsonNode done = events.get(events.size() - 3).data();
        assertEquals(args, done.get("arguments").asText());
        assertEquals("shell", done.get("name").asText());
        assertEquals(itemId, done.get("item_id").asText());
        JsonNode doneItem = events.get(events.size() - 2).data().get("item");
        assertEquals(args, doneItem.get("arguments").asText());
        assertEquals("completed", doneItem.get("status").asText());
        assertEquals(added.get("call_id"), doneItem.get("call_id"));
        assertEquals(doneItem, events.get(events.size() - 1).data().at("/response/output/0"));
    }

    @Test
    void responsesAnswersToolPromptsWithTextWithoutAFunctionTool() throws Exception {
        JsonNode r = ok(post("/responses", "{\"model\":\"m\",\"input\":\"use tool: ls\"}"));
        assertEquals("Echo: use tool: ls", r.at("/output/0/content/0/text").asText());
        r = ok(post("/responses", "{\"model\":\"m\",\"tools\":[{\"type\":\"web_search\"}],\"input\":\"use tool: ls\"}"));
        assertEquals("message", r.at("/output/0/type").asText());
        r = ok(post("/responses", "{\"model\":\"m\"," + TOOLS + ",\"tool_choice\":\"none\",\"input\":\"use tool: ls\"}"));
        assertEquals("message", r.at("/output/0/type").asText());
    }

    @Test
    void responsesRejectsBadRequestsWithOpenAiErrors() throws Exception {
        assertError(post("/responses", "{\"input\":\"hi\"}"), 400, "Missing required parameter: 'model'.", "model",
                "missing_required_parameter");
        assertError(post("/responses", "{\"model\":\"m\"}"), 400, "Missing required parameter: 'input'.", "input",
                "missing_required_parameter");
        assertError(post("/responses", "{\"model\":\"m\",\"input\":7}"), 400,
                "Invalid type for 'input': expected one of a string or array of input items, but got an integer "
                        + "instead.", "input", "invalid_type");
        assertError(post("/responses", "{\"model\":\"m\",\"input\":[\"hi\"]}"), 400,
                "Invalid type for 'input[0]': expected an input item, but got a string instead.", "input[0]",
                "invalid_type");
        assertError(post("/responses", "{\"model\":"), 400, "We could not parse the JSON body of your request.",
                null, null);
        assertError(post("/responses", "{\"model\":\"m\",\"input\":\"hi\"}", "sk-wrong"), 401,
                "Incorrect API key provided.", null, "invalid_api_key");
    }

    // ---- /v1/embeddings --------------------------------------------------------------------------------------------

    static float[] floats(JsonNode embedding) {
        float[] out = new float[embedding.size()];
        for (int i = 0; i < out.length; i++) {
            assertTrue(embedding.get(i).isNumber(), embedding.toString());
            out[i] = embedding.get(i).floatValue();
        }
        return out;
    }

    @Test
    void embeddingsAreDeterministicFloatsOfUnitLength() throws Exception {
        JsonNode r = ok(post("/embeddings", "{\"model\":\"text-embedding-3-small\",\"input\":\"the quick fox\"}"));
        assertEquals("list", r.get("object").asText());
        assertEquals("text-embedding-3-small", r.get("model").asText());
        assertEquals(1, r.get("data").size());
        assertEquals("embedding", r.at("/data/0/object").asText());
        assertEquals(0, r.at("/data/0/index").asInt());
        float[] v = floats(r.at("/data/0/embedding"));
        assertEquals(OpenAiSimulator.EMBEDDING_DIMENSIONS, v.length);
        assertArrayEquals(OpenAiSimulator.embeddingOf("the quick fox"), v);
        double norm = 0;
        for (float f : v) {
            norm += f * f;
        }
        assertEquals(1.0, norm, 1e-5);
        assertEquals(Map.of("prompt_tokens", 3, "total_tokens", 3), JSON.convertValue(r.get("usage"), Map.class));

        JsonNode again = ok(post("/embeddings", "{\"model\":\"m\",\"input\":[\"a b\",\"the quick fox\",\"c\"]}"));
        assertEquals(3, again.get("data").size());
        for (int i = 0; i < 3; i++) {
            assertEquals(i, again.at("/data/" + i + "/index").asInt());
        }
        assertArrayEquals(v, floats(again.at("/data/1/embedding")));
        assertNotEquals(again.at("/data/0/embedding"), again.at("/data/2/embedding"));
        assertEquals(6, again.at("/usage/prompt_tokens").asInt());
    }

    @Test
    void embeddingsInBase64AreLittleEndianFloat32OfTheSameValues() throws Exception {
        String input = "\"input\":[\"alpha\",\"beta gamma\"]";
        JsonNode asFloats = ok(post("/embeddings", "{\"model\":\"m\"," + input + ",\"encoding_format\":\"float\"}"));
        JsonNode asBase64 = ok(post("/embeddings", "{\"model\":\"m\"," + input + ",\"encoding_format\":\"base64\"}"));
        for (int i = 0; i < 2; i++) {
            JsonNode b64 = asBase64.at("/data/" + i + "/embedding");
            assertTrue(b64.isTextual(), b64.toString());
            ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(b64.asText())).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(4 * OpenAiSimulator.EMBEDDING_DIMENSIONS, bytes.remaining());
            float[] decoded = new float[OpenAiSimulator.EMBEDDING_DIMENSIONS];
            bytes.asFloatBuffer().get(decoded);
            assertArrayEquals(floats(asFloats.at("/data/" + i + "/embedding")), decoded);
        }
    }

    @Test
    void embeddingsAcceptTokenArrays() throws Exception {
        JsonNode one = ok(post("/embeddings", "{\"model\":\"m\",\"input\":[1212,318,257]}"));
        assertEquals(1, one.get("data").size());
        assertArrayEquals(OpenAiSimulator.embeddingOf("[1212,318,257]"), floats(one.at("/data/0/embedding")));
        assertEquals(3, one.at("/usage/prompt_tokens").asInt());

        JsonNode two = ok(post("/embeddings", "{\"model\":\"m\",\"input\":[[1,2],[3]]}"));
        assertEquals(2, two.get("data").size());
        assertEquals(3, two.at("/usage/total_tokens").asInt());
    }

    @Test
    void embeddingsRejectBadRequests() throws Exception {
        assertError(post("/embeddings", "{\"input\":\"hi\"}"), 400, "Missing required parameter: 'model'.", "model",
                "missing_required_parameter");
        assertError(post("/embeddings", "{\"model\":\"m\"}"), 400, "Missing required parameter: 'input'.", "input",
                "missing_required_parameter");
        String invalid = "'$.input' is invalid. Please check the API reference: "
                + "https://platform.openai.com/docs/api-reference.";
        for (String input : new String[] {"[]", "\"\"", "[\"a\",1]", "[{}]", "[[]]"}) {
            assertError(post("/embeddings", "{\"model\":\"m\",\"input\":" + input + "}"), 400, invalid, null, null);
        }
        assertError(post("/embeddings", "{\"model\":\"m\",\"input\":\"a\",\"encoding_format\":\"int8\"}"), 400,
                "Invalid value for 'encoding_format': expected one of 'float' or 'base64'.", "encoding_format",
                "invalid_value");
    }

    // ---- /v1/completions -------------------------------------------------------------------------------------------

    @Test
    void completionsAnswerTheFirstPrompt() throws Exception {
        JsonNode r = ok(post("/completions", "{\"model\":\"gpt-3.5-turbo-instruct\",\"prompt\":\"def add(a, b):\","
                + "\"suffix\":\"\\n\\nprint(add(1, 2))\",\"max_tokens\":64}"));
        assertTrue(r.get("id").asText().startsWith("cmpl-"), r.toString());
        assertEquals("text_completion", r.get("object").asText());
        assertTrue(r.get("created").isIntegralNumber());
        assertEquals("gpt-3.5-turbo-instruct", r.get("model").asText());
        assertEquals(1, r.get("choices").size());
        JsonNode choice = r.at("/choices/0");
        assertEquals("Echo: def add(a, b):", choice.get("text").asText());
        assertEquals(0, choice.get("index").asInt());
        assertTrue(choice.get("logprobs").isNull());
        assertEquals("stop", choice.get("finish_reason").asText());
        assertEquals(3, r.at("/usage/prompt_tokens").asInt());
        assertEquals(4, r.at("/usage/completion_tokens").asInt());
        assertEquals(7, r.at("/usage/total_tokens").asInt());

        r = ok(post("/completions", "{\"model\":\"m\",\"prompt\":[\"first\",\"second\"]}"));
        assertEquals("Echo: first", r.at("/choices/0/text").asText());
    }

    @Test
    void completionsStreamOneWordPerChunkThenDone() throws Exception {
        List<JsonNode> chunks = chunks(post("/completions", "{\"model\":\"m\",\"prompt\":\"say it slowly\","
                + "\"stream\":true}"));
        assertEquals(5, chunks.size(), chunks.toString());
        StringBuilder text = new StringBuilder();
        String id = chunks.get(0).get("id").asText();
        for (int i = 0; i < chunks.size(); i++) {
            JsonNode c = chunks.get(i);
            assertEquals(id, c.get("id").asText());
            assertEquals("text_completion", c.get("object").asText());
            assertEquals("m", c.get("model").asText());
            assertTrue(c.get("created").isIntegralNumber());
            assertEquals(1, c.get("choices").size());
            assertEquals(0, c.at("/choices/0/index").asInt());
            assertTrue(c.at("/choices/0/logprobs").isNull());
            boolean last = i == chunks.size() - 1;
            assertEquals(last ? "stop" : null, c.at("/choices/0/finish_reason").textValue(), c.toString());
            text.append(c.at("/choices/0/text").asText());
        }
        assertEquals("Echo: ", chunks.get(0).at("/choices/0/text").asText());
        assertEquals("", chunks.get(4).at("/choices/0/text").asText());
        assertEquals("Echo: say it slowly", text.toString());

        chunks = chunks(post("/completions", "{\"model\":\"m\",\"prompt\":\"hi\",\"stream\":true,"
                + "\"stream_options\":{\"include_usage\":true}}"));
        JsonNode usage = chunks.get(chunks.size() - 1);
        assertEquals(0, usage.get("choices").size());
        assertEquals(3, usage.at("/usage/total_tokens").asInt());
    }

    @Test
    void completionsRejectBadRequests() throws Exception {
        assertError(post("/completions", "{\"prompt\":\"hi\"}"), 400, "Missing required parameter: 'model'.",
                "model", "missing_required_parameter");
        assertError(post("/completions", "{\"model\":\"m\"}"), 400, "Missing required parameter: 'prompt'.",
                "prompt", "missing_required_parameter");
        assertError(post("/completions", "{\"model\":\"m\",\"prompt\":true}"), 400,
                "Invalid type for 'prompt': expected one of a string or array of strings or array of tokens, but got "
                        + "a boolean instead.", "prompt", "invalid_type");
    }

    // ---- recording -------------------------------------------------------------------------------------------------

    @Test
    void everyRequestIsRecorded() throws Exception {
        post("/responses", "{\"model\":\"m\",\"input\":\"a\"}");
        post("/embeddings", "{\"model\":\"m\",\"input\":\"b\"}", "sk-other");
        post("/completions", "{\"model\":\"m\",\"prompt\":\"c\"}");
        List<OpenAiSimulator.Received> got = sim.received();
        assertEquals(List.of("/v1/responses", "/v1/embeddings", "/v1/completions"),
                got.stream().map(OpenAiSimulator.Received::path).toList());
        assertEquals(List.of(KEY, "sk-other", KEY), got.stream().map(OpenAiSimulator.Received::apiKey).toList());
        assertTrue(got.stream().allMatch(g -> g.method().equals("POST")));
        assertEquals("{\"model\":\"m\",\"prompt\":\"c\"}", got.get(2).body());
    }
}
