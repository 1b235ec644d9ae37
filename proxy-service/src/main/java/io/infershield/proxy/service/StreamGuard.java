package io.infershield.proxy.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infershield.events.SecurityFinding;
import io.infershield.proxy.security.CategoryPolicy;
import io.infershield.proxy.security.Detector;
import io.infershield.proxy.security.Direction;
import io.infershield.proxy.security.Finding;
import io.infershield.proxy.security.Policy;
import io.infershield.proxy.security.PolicyAction;
import io.infershield.proxy.security.Redactor;
import io.infershield.proxy.security.StreamScanner;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Scans one streamed answer ({@code text/event-stream}) while relaying it. Upstream bytes are cut into events
 * ({@link SseFramer}), and each text of the answer is fed to a {@link StreamScanner} of its own:
 * <ul>
 * <li>OpenAI chat completions: each {@code choices[].delta.content}, per choice, and each tool call's
 * {@code function.arguments} fragments (a hijacked model exfiltrates through the arguments of a tool the IDE runs as
 * readily as through text);</li>
 * <li>Anthropic Messages: each content block, by its {@code index}: the {@code text_delta}s of a text block and the
 * {@code input_json_delta}s of a {@code tool_use} block. Thinking is not scanned: it is signed by the provider, must
 * come back unchanged, and is not where an answer leaves.</li>
 * </ul>
 * Events are released in their original order once none of their text can still become part of a finding.
 *
 * <p>Why text is held back, and how little: a secret, or a URL carrying data out, is one token, so the token still
 * arriving waits, together with the last {@link StreamScanner#HOLD} chars (for findings in groups, such as a card
 * number). The rest is final and leaves at once: the IDE sees the answer about 16 tokens behind the model. That bounds
 * what is held to the look-back plus one event, whatever the length of the answer, so the first byte is not
 * delayed by a long answer. Events without text (the role, usage, {@code [DONE]}) wait only for the events before
 * them. A choice's text is complete, and released whole, at its {@code finish_reason}, when it turns to tool calls,
 * at {@code [DONE]} and at the end of the stream; a tool call's arguments when the next tool call starts and at the
 * same ends.
 *
 * <p>Redact: the part of a finding inside an event is cut out; the event where the finding starts (or the first one
 * still held, when a finding longer than the hold started in text already sent) carries its placeholder, so a secret split over two chunks leaves as one {@code [REDACTED:<type>]}. Block: the events held are
 * dropped, and the stream ends with an error event in the API's shape: OpenAI's error object and {@code [DONE]}, or
 * Anthropic's {@code event: error}, which its SDK raises as an API error.
 *
 * <p>Not thread-safe: one instance per stream, driven from the stream's event loop.
 */
public final class StreamGuard {

    /**
     * One scanned text: of an OpenAI choice, its message content ({@code slot} -1) or the arguments of its tool call
     * {@code slot}; of an Anthropic message ({@code choice} 0), the content block {@code slot}; of a Responses output
     * item {@code choice}, its content part {@code slot} or its call (-1). {@code location} is its JSON Pointer in the
     * whole answer.
     */
    private record Stream(int choice, int slot, String location) {
    }

    /**
     * The text {@code [start, end)} of one stream within one event, held in {@code node.field}; or, when {@code whole},
     * the stream's complete text repeated by a closing event (the Responses API's {@code …done} and
     * {@code response.completed}), which is redacted with all of the stream's findings.
     */
    private record Part(Stream stream, long start, long end, ObjectNode node, String field, boolean whole) {
    }

    /** One upstream event, kept until it may be released. {@code json} is null for events passed on unread. */
    private record Frame(String raw, ObjectNode json, List<Part> parts) {
    }

    /** The text of one stream so far. */
    private final class StreamText {
        /** Where the text is in the whole answer, a JSON Pointer for the audit. */
        private final String location;
        private StreamScanner scanner = new StreamScanner(detectors, lookBack);
        /** Stream offset of what the current scanner saw first. */
        private long scannerBase;
        /** Chars of text seen. */
        private long position;
        /** The look-back behind the end (plus one delta, or an open key block), to hash and excerpt findings. */
        private final StringBuilder recent = new StringBuilder();
        private long recentBase;
        private boolean closed;
        private final List<Finding> redactions = new ArrayList<>();
        /** Every redaction of the stream, for the events that repeat its complete text. */
        private final List<Finding> allRedactions = new ArrayList<>();
        /** End of the last redaction written out, so that overlapping findings leave a single placeholder. */
        private long redactedTo;

        StreamText(String location) {
            this.location = location;
        }

        void feed(String text) {
            if (closed) {
                // Text after the choice turned to tool calls: a new scan, continuing the offsets.
                scanner = new StreamScanner(detectors, lookBack);
                scannerBase = position;
                closed = false;
            }
            recent.append(text);
            position += text.length();
            found(this, scanner.feed(text));
            // the look-back is kept even where text is final: a finding may start in text already released
            int excess = (int) (Math.min(finalBefore(), position - lookBack) - recentBase);
            if (excess > 0) {
                recent.delete(0, excess);
                recentBase += excess;
            }
        }

        void close() {
            if (!closed) {
                closed = true;
                found(this, scanner.finish());
            }
        }

        /**
         * Text before this offset is final: {@link StreamScanner#HOLD} chars and the token still arriving behind the
         * end, or the header of an open private-key block (see {@link StreamScanner#heldFrom()}).
         */
        long finalBefore() {
            return closed ? Long.MAX_VALUE : scannerBase + scanner.heldFrom();
        }
    }

    private final Api api;
    private final Policy policy;
    private final List<Detector> detectors;
    private final int lookBack;
    private final FindingAudit audit;
    private final ObjectMapper json;

    private final SseFramer framer = new SseFramer();
    private final ArrayDeque<Frame> held = new ArrayDeque<>();
    private final Map<Stream, StreamText> streams = new HashMap<>();
    private PolicyAction action = PolicyAction.ALLOW;
    private final List<SecurityFinding> findings = new ArrayList<>();
    private Finding blockedBy;
    private boolean ended;
    /** Whether the stream is a Responses one, which ends differently on block. */
    private boolean responses;

    StreamGuard(Api api, Policy policy, List<Detector> detectors, int lookBack, FindingAudit audit, ObjectMapper json) {
        this.api = api;
        this.policy = policy;
        this.detectors = detectors;
        this.lookBack = lookBack;
        this.audit = audit;
        this.json = json;
    }

    /** The most severe action triggered so far. */
    public PolicyAction action() {
        return action;
    }

    /** Findings recorded since the last call, for the audit event. */
    public List<SecurityFinding> drainFindings() {
        List<SecurityFinding> out = List.copyOf(findings);
        findings.clear();
        return out;
    }

    /** Whether the policy ended the stream. */
    public boolean blocked() {
        return blockedBy != null;
    }

    /** Takes the next upstream bytes; returns what may be sent to the client now (possibly nothing). */
    public byte[] accept(byte[] chunk) {
        if (ended) {
            return new byte[0];
        }
        for (String raw : framer.feed(chunk)) {
            event(raw);
            if (blocked()) {
                return block();
            }
        }
        return release(false);
    }

    /** The upstream ended: completes every choice's scan and returns the rest. */
    public byte[] finish() {
        if (ended) {
            return new byte[0];
        }
        String rest = framer.rest();
        if (rest != null) {
            event(rest);
        }
        streams.values().forEach(StreamText::close);
        if (blocked()) {
            return block();
        }
        ended = true;
        return release(true);
    }

    private void event(String raw) {
        String data = SseFramer.data(raw);
        JsonNode node = null;
        if (data != null && !data.equals("[DONE]")) {
            try {
                node = json.readTree(data);
            } catch (JsonProcessingException e) {
                node = null; // not ours to judge: relayed as it came
            }
        } else if (data != null) {
            streams.values().forEach(StreamText::close);
        }
        List<Part> parts = new ArrayList<>();
        if (node instanceof ObjectNode object && (api == Api.ANTHROPIC ? anthropic(object, parts) : openAi(object, parts))) {
            held.add(new Frame(raw, object, parts));
        } else {
            held.add(new Frame(raw, null, List.of()));
        }
    }

    /**
     * Reads a {@code chat.completion.chunk}, a legacy {@code text_completion} chunk ({@code choices[].text}) or a
     * Responses event; false when the event is none of them.
     */
    private boolean openAi(ObjectNode object, List<Part> parts) {
        if (object.path("type").asText().startsWith("response.")) {
            responses = true;
            responsesEvent(object, parts);
            return true;
        }
        if (!object.path("choices").isArray()) {
            return false;
        }
        for (JsonNode choice : object.get("choices")) {
            if (!choice.isObject()) {
                continue;
            }
            int index = choice.path("index").asInt(0);
            feed(new Stream(index, -1, "/choices/" + index + "/text"), (ObjectNode) choice, "text", parts);
            JsonNode delta = choice.path("delta");
            if (delta.isObject()) {
                feed(new Stream(index, -1, "/choices/" + index + "/message/content"), (ObjectNode) delta, "content",
                        parts);
                if (delta.has("tool_calls") || delta.has("function_call")) {
                    close(index, slot -> slot < 0);
                }
                if (delta.path("function_call").isObject()) {
                    feed(new Stream(index, 0, "/choices/" + index + "/message/function_call/arguments"),
                            (ObjectNode) delta.get("function_call"), "arguments", parts);
                }
                for (JsonNode call : delta.path("tool_calls")) {
                    int current = call.path("index").asInt(0);
                    // a new tool call ends the arguments of the ones before it
                    close(index, slot -> slot >= 0 && slot != current);
                    if (call.path("function").isObject()) {
                        feed(new Stream(index, current, "/choices/" + index + "/message/tool_calls/" + current
                                + "/function/arguments"), (ObjectNode) call.get("function"), "arguments", parts);
                    }
                }
            }
            if (choice.path("finish_reason").isTextual()) {
                close(index, slot -> true);
            }
        }
        return true;
    }

    /**
     * Reads a Responses event by its {@code type}. A message's text arrives as {@code response.output_text.delta}s per
     * output item and content part, a tool call's as {@code response.function_call_arguments.delta}s (or a custom
     * tool's {@code response.custom_tool_call_input.delta}s); then {@code …done}, {@code response.content_part.done},
     * {@code response.output_item.done} and finally {@code response.completed} each repeat the complete text, which
     * must leave redacted the same way.
     */
    private void responsesEvent(ObjectNode object, List<Part> parts) {
        int item = object.path("output_index").asInt(0);
        int part = object.path("content_index").asInt(0);
        Stream content = new Stream(item, part, "/output/" + item + "/content/" + part + "/text");
        Stream call = new Stream(item, -1, "/output/" + item
                + (object.path("type").asText().startsWith("response.custom_tool_call") ? "/input" : "/arguments"));
        switch (object.path("type").asText()) {
            case "response.output_text.delta" -> feed(content, object, "delta", parts);
            case "response.function_call_arguments.delta", "response.custom_tool_call_input.delta" ->
                    feed(call, object, "delta", parts);
            case "response.output_text.done" -> whole(content, object, "text", parts);
            case "response.function_call_arguments.done" -> whole(call, object, "arguments", parts);
            case "response.custom_tool_call_input.done" -> whole(call, object, "input", parts);
            case "response.content_part.done" -> {
                if (object.path("part").isObject()) {
                    whole(content, (ObjectNode) object.get("part"), "text", parts);
                }
            }
            case "response.output_item.done" -> outputItem(item, object.path("item"), parts);
            case "response.completed", "response.incomplete", "response.failed" -> {
                JsonNode output = object.path("response").path("output");
                for (int i = 0; i < output.size(); i++) {
                    outputItem(i, output.get(i), parts);
                }
                streams.values().forEach(StreamText::close);
            }
            default -> {
            }
        }
    }

    /** The complete texts of one Responses output item: its content parts' text, a tool call's arguments or input. */
    private void outputItem(int index, JsonNode item, List<Part> parts) {
        if (!item.isObject()) {
            return;
        }
        JsonNode content = item.path("content");
        for (int c = 0; c < content.size(); c++) {
            if (content.get(c).isObject()) {
                whole(new Stream(index, c, "/output/" + index + "/content/" + c + "/text"), (ObjectNode) content.get(c),
                        "text", parts);
            }
        }
        whole(new Stream(index, -1, "/output/" + index + "/arguments"), (ObjectNode) item, "arguments", parts);
        whole(new Stream(index, -1, "/output/" + index + "/input"), (ObjectNode) item, "input", parts);
    }

    /**
     * Reads a Messages stream event by its {@code type}: a block's first text comes with {@code content_block_start},
     * the rest in {@code content_block_delta}s, and {@code content_block_stop} completes it; {@code message_delta}
     * (the stop reason) and {@code message_stop} complete them all. Pings and errors carry no text.
     */
    private boolean anthropic(ObjectNode object, List<Part> parts) {
        int index = object.path("index").asInt(0);
        switch (object.path("type").asText()) {
            case "content_block_start" -> {
                JsonNode block = object.path("content_block");
                if (block.isObject() && "text".equals(block.path("type").asText())) {
                    feed(new Stream(0, index, "/content/" + index + "/text"), (ObjectNode) block, "text", parts);
                }
            }
            case "content_block_delta" -> {
                JsonNode delta = object.path("delta");
                String field = switch (delta.path("type").asText()) {
                    case "text_delta" -> "text";
                    case "input_json_delta" -> "partial_json";
                    default -> null;
                };
                if (field != null) {
                    feed(new Stream(0, index, "/content/" + index + (field.equals("text") ? "/text" : "/input")),
                            (ObjectNode) delta, field, parts);
                }
            }
            case "content_block_stop" -> close(0, slot -> slot == index);
            case "message_delta", "message_stop" -> close(0, slot -> true);
            default -> {
                return false;
            }
        }
        return true;
    }

    /** Completes the scans of the streams of {@code choice} whose slot matches. */
    private void close(int choice, java.util.function.IntPredicate slots) {
        streams.forEach((stream, text) -> {
            if (stream.choice() == choice && slots.test(stream.slot())) {
                text.close();
            }
        });
    }

    /** Feeds the text in {@code node.field}, when there is one, to its stream's scanner. */
    private void feed(Stream stream, ObjectNode node, String field, List<Part> parts) {
        if (!node.path(field).isTextual()) {
            return;
        }
        StreamText text = streams.computeIfAbsent(stream, c -> new StreamText(stream.location()));
        String value = node.get(field).asText();
        long start = text.position;
        text.feed(value);
        parts.add(new Part(stream, start, start + value.length(), node, field, false));
    }

    /**
     * The complete text of {@code stream} repeated in {@code node.field}: the stream is complete, and the text leaves
     * redacted as its deltas did. A text whose deltas never came is scanned here instead.
     */
    private void whole(Stream stream, ObjectNode node, String field, List<Part> parts) {
        if (!node.path(field).isTextual()) {
            return;
        }
        if (!streams.containsKey(stream)) {
            feed(stream, node, field, parts);
            streams.get(stream).close();
            return;
        }
        streams.get(stream).close();
        parts.add(new Part(stream, 0, 0, node, field, true));
    }

    private void found(StreamText text, List<Finding> found) {
        for (Finding finding : found) {
            Finding f = text.scannerBase == 0 ? finding : finding.shift((int) text.scannerBase);
            CategoryPolicy rule = policy.rule(f.category());
            if (f.score() < rule.threshold()) {
                continue;
            }
            int from = (int) Math.max(0, f.start() - text.recentBase);
            int to = (int) Math.min(text.recent.length(), Math.max(from, f.end() - text.recentBase));
            findings.add(audit.of(f, text.recent.substring(from, to), Direction.RESPONSE, rule.action(), text.location));
            action = action.max(rule.action());
            if (rule.action() == PolicyAction.REDACT) {
                text.redactions.add(f);
                text.allRedactions.add(f);
            } else if (rule.action() == PolicyAction.BLOCK && blockedBy == null) {
                blockedBy = f;
            }
        }
    }

    private byte[] release(boolean all) {
        StringBuilder out = new StringBuilder();
        while (!held.isEmpty() && (all || releasable(held.peekFirst()))) {
            out.append(render(held.removeFirst()));
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private boolean releasable(Frame frame) {
        for (Part part : frame.parts()) {
            long finalBefore = streams.get(part.stream()).finalBefore();
            if (part.whole() ? finalBefore != Long.MAX_VALUE : part.end() > part.start() && part.end() > finalBefore) {
                return false;
            }
        }
        return true;
    }

    private String render(Frame frame) {
        boolean changed = false;
        for (Part part : frame.parts()) {
            StreamText text = streams.get(part.stream());
            String content = part.node().get(part.field()).asText();
            String redacted = part.whole() ? Redactor.redact(content, text.allRedactions) : redact(text, part, content);
            if (!redacted.equals(content)) {
                part.node().put(part.field(), redacted);
                changed = true;
            }
            if (!part.whole()) {
                text.redactions.removeIf(f -> f.end() <= part.end());
            }
        }
        if (!changed) {
            return frame.raw();
        }
        try {
            return SseFramer.withData(frame.raw(), json.writeValueAsString(frame.json()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed JSON tree always serialises", e);
        }
    }

    /** {@code content} (the chars {@code [part.start, part.end)} of the choice) with the redactions that overlap it cut out. */
    private static String redact(StreamText text, Part part, String content) {
        List<Finding> overlapping = new ArrayList<>();
        for (Finding f : text.redactions) {
            if (f.start() < part.end() && f.end() > part.start()) {
                overlapping.add(f);
            }
        }
        if (overlapping.isEmpty()) {
            return content;
        }
        overlapping.sort(Comparator.comparingInt(Finding::start));
        StringBuilder out = new StringBuilder(content.length());
        int pos = 0;
        for (Finding f : overlapping) {
            int cutStart = (int) (Math.max(f.start(), part.start()) - part.start());
            int cutEnd = (int) (Math.min(f.end(), part.end()) - part.start());
            if (cutStart > pos) {
                out.append(content, pos, cutStart);
            }
            // the placeholder goes where the finding starts, or where it is first cut when that start was released
            if (f.start() >= text.redactedTo) {
                out.append(Redactor.placeholder(f.type()));
            }
            pos = Math.max(pos, cutEnd);
            text.redactedTo = Math.max(text.redactedTo, f.end());
        }
        out.append(content, Math.min(pos, content.length()), content.length());
        return out.toString();
    }

    /**
     * The end of a blocked stream, in its API's shape: Anthropic's {@code error} event; the Responses API's
     * {@code error} event (its documented {@code code} and {@code message}, plus the {@code error} object that makes
     * the OpenAI SDKs raise it); or a chat stream's error object and {@code [DONE]}.
     */
    private byte[] block() {
        ended = true;
        held.clear();
        JsonObject error = GatewayException.blocked(blockedBy.category().wire(), blockedBy.type(), true).body(api);
        String frame;
        if (api == Api.ANTHROPIC) {
            frame = "event: error\ndata: " + error.encode() + "\n\n";
        } else if (responses) {
            JsonObject detail = error.getJsonObject("error");
            JsonObject event = new JsonObject().put("type", "error").put("code", detail.getString("code"))
                    .put("message", detail.getString("message")).putNull("param").put("error", detail);
            frame = "event: error\ndata: " + event.encode() + "\n\n";
        } else {
            frame = "data: " + error.encode() + "\n\ndata: [DONE]\n\n";
        }
        return frame.getBytes(StandardCharsets.UTF_8);
    }
}
