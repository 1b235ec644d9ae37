package io.infershield.proxy.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.infershield.events.SecurityFinding;
import io.infershield.proxy.config.ProxyConfig;
import io.infershield.proxy.security.CategoryPolicy;
import io.infershield.proxy.security.Decision;
import io.infershield.proxy.security.Detector;
import io.infershield.proxy.security.Direction;
import io.infershield.proxy.security.ExfiltrationDetector;
import io.infershield.proxy.security.Finding;
import io.infershield.proxy.security.InjectionDetector;
import io.infershield.proxy.security.InjectionModel;
import io.infershield.proxy.security.PiiDetector;
import io.infershield.proxy.security.Policy;
import io.infershield.proxy.security.PolicyAction;
import io.infershield.proxy.security.Redactor;
import io.infershield.proxy.security.SecretDetector;
import io.infershield.proxy.security.SecurityScanner;
import io.infershield.proxy.security.ToolPoisoningDetector;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The security layer in the request path: scans the texts of a request or of an answer, applies a policy and
 * rewrites the JSON in place where the policy redacts. One shared scanner (the detectors are thread-safe); one
 * {@link StreamGuard} per streamed answer.
 */
@ApplicationScoped
public class SecurityLayer {

    /** Roles whose messages carry the client's own instructions to the model rather than content (see {@link Slot}). */
    private static final Set<String> INSTRUCTION_ROLES = Set.of("system", "developer");

    /** A member name kept in a finding's location (see {@link #pointer}). */
    private static final Pattern MEMBER_NAME = Pattern.compile("[A-Za-z_][A-Za-z_-]{0,31}");

    /** The types of a text part: chat and Messages {@code text}, Responses {@code input_text} and {@code output_text}. */
    private static final Set<String> TEXT_PARTS = Set.of("text", "input_text", "output_text");

    /**
     * What scanning one request or completion came to.
     *
     * @param action   the most severe action triggered ({@code allow} when nothing was)
     * @param blocking the finding that blocked it, or {@code null}
     * @param redacted whether some text was replaced, so the JSON must be serialised again
     * @param findings every finding at or above its category's threshold, for the audit event
     * @param blockingTool the name of the tool whose definition holds the blocking finding, or {@code null}
     */
    public record Verdict(PolicyAction action, Finding blocking, boolean redacted, List<SecurityFinding> findings,
            String blockingTool) {
    }

    /**
     * A text inside a JSON document that may be replaced by its redacted form: {@code container.field}, or element
     * {@code index} of an array {@code container}. {@code injection} is false for the instructions the IDE itself sends
     * (system and developer messages, Anthropic's {@code system}): they address the assistant by design ("You are an AI
     * programming assistant…"), which the injection model reads as an attack, and blocking them would block every
     * request of tools such as Copilot Chat. Nor is it looked for in the arguments of the model's own earlier tool
     * calls. Secrets and personal data are still looked for there.
     */
    private record Slot(JsonNode container, String at, String field, int index, boolean injection) {
        /** The text {@code parent.field}, where {@code at} is the JSON Pointer of {@code parent}. */
        Slot(JsonNode parent, String at, String field, boolean injection) {
            this(parent, at, field, -1, injection);
        }

        /** The JSON Pointer (RFC 6901) of the text in the document. */
        String location() {
            return field != null ? pointer(at, field) : at + "/" + index;
        }

        String text() {
            return (field != null ? container.get(field) : container.get(index)).asText();
        }

        void replace(String text) {
            if (field != null) {
                ((ObjectNode) container).put(field, text);
            } else {
                ((ArrayNode) container).set(index, TextNode.valueOf(text));
            }
        }
    }

    private final ProxyConfig.Security config;
    private final FindingAudit audit;
    private final ObjectMapper json;
    private final SecurityScanner scanner;
    private final List<Detector> responseDetectors;
    /**
     * Findings per tool definition text, most recently used last: an IDE sends the same definitions with every request
     * of a session (Claude Code's come to about 45 KB), so each is judged once. Only definitions up to
     * {@link #CACHED_TOOL_CHARS} are kept, which bounds the cache at a few MB.
     */
    private final Map<String, List<Finding>> toolFindings = Collections.synchronizedMap(
            new LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, List<Finding>> eldest) {
                    return size() > CACHED_TOOLS;
                }
            });
    private static final int CACHED_TOOLS = 512;
    private static final int CACHED_TOOL_CHARS = 16_384;

    SecurityLayer(ProxyConfig config, FindingAudit audit, ObjectMapper json) {
        this.config = config.security();
        if (this.config.streamLookBack() < 64) {
            throw new IllegalStateException("proxy.security.stream-look-back must be at least 64 chars");
        }
        this.audit = audit;
        this.json = json;
        Set<String> trusted = this.config.trustedHosts().orElse(Set.of());
        this.scanner = new SecurityScanner(InjectionModel.load(), trusted);
        SecretDetector secrets = new SecretDetector();
        this.responseDetectors = List.of(secrets, new PiiDetector(), new ExfiltrationDetector(trusted, secrets));
    }

    public boolean enabled() {
        return config.enabled();
    }

    /**
     * Scans every text of a request to {@code endpoint} (see the readers below). Offsets in the findings count through
     * the texts in document order; each finding also names its text's JSON Pointer.
     */
    public Verdict scanRequest(Endpoint endpoint, JsonNode request, Policy policy) {
        List<Slot> slots = new ArrayList<>();
        List<ToolDefinition> tools = new ArrayList<>();
        switch (endpoint) {
            case CHAT_COMPLETIONS -> chatRequest(request, slots);
            case RESPONSES -> responsesRequest(request, slots);
            case COMPLETIONS -> {
                strings(request, "", "prompt", slots, true);
                strings(request, "", "suffix", slots, true);
            }
            // no model follows an embedding's input: only secrets and personal data matter there
            case EMBEDDINGS -> strings(request, "", "input", slots, false);
            case MESSAGES, COUNT_TOKENS -> messagesRequest(request, slots);
        }
        toolDefinitions(request, tools);
        return scan(slots, tools, Direction.REQUEST, policy);
    }

    /**
     * A tool the client offers the model (an IDE's built-in tools, and those of every MCP server it runs), with its
     * name when that is a valid tool name, and its text as {@link ToolPoisoningDetector#text} puts it.
     */
    private record ToolDefinition(String location, String name, String text) {
    }

    private static void toolDefinitions(JsonNode request, List<ToolDefinition> tools) {
        ToolAllowList.each(request, (location, tool) ->
                tools.add(new ToolDefinition(location, ToolAllowList.name(tool), ToolPoisoningDetector.text(tool))));
    }

    /**
     * A chat completion request: each message's string {@code content}, the {@code text} of {@code type: text} parts of
     * array content, and the arguments of the model's earlier tool calls.
     */
    private static void chatRequest(JsonNode request, List<Slot> slots) {
        JsonNode messages = request.path("messages");
        for (int i = 0; i < messages.size(); i++) {
            JsonNode message = messages.get(i);
            String at = "/messages/" + i;
            boolean injection = !INSTRUCTION_ROLES.contains(message.path("role").asText());
            textOrParts(message, at, "content", slots, injection);
            // the model's earlier tool calls go upstream again: their arguments may carry what a tool was told
            toolArguments(message, at, slots, false);
        }
    }

    /**
     * A Messages request: {@code system} (a string or text blocks; instructions, so no injection scan), and in each
     * message a string {@code content} or its blocks: {@code text}; {@code tool_result}, whose content is what a tool
     * read (a file, a web page) and so where indirect injection arrives; a plain-text {@code document}; and the string
     * values of the model's earlier {@code tool_use} inputs. Images and thinking blocks are not text the gateway can
     * judge (a thinking block is signed by the provider and must come back unchanged).
     */
    private static void messagesRequest(JsonNode request, List<Slot> slots) {
        textOrParts(request, "", "system", slots, false);
        JsonNode messages = request.path("messages");
        for (int i = 0; i < messages.size(); i++) {
            String at = "/messages/" + i;
            strings(messages.get(i), at, "content", slots, true);
            JsonNode content = messages.get(i).path("content");
            for (int b = 0; b < content.size(); b++) {
                JsonNode block = content.get(b);
                String blockAt = at + "/content/" + b;
                switch (block.path("type").asText()) {
                    case "text" -> textParts(block, blockAt, slots, true);
                    case "tool_result" -> textOrParts(block, blockAt, "content", slots, true);
                    case "document" -> {
                        if ("text".equals(block.path("source").path("type").asText())) {
                            strings(block.path("source"), blockAt + "/source", "data", slots, true);
                        }
                    }
                    case "tool_use" -> stringLeaves(block.path("input"), blockAt + "/input", slots, false);
                    default -> {
                    }
                }
            }
        }
    }

    /**
     * A Responses request (Codex): {@code instructions} (the client's own, like a system message: no injection scan),
     * and {@code input}, a string or a list of items: messages (string content, or {@code input_text} and
     * {@code output_text} parts; no injection scan in system and developer messages), the arguments of the model's
     * earlier {@code function_call}s and {@code custom_tool_call}s (no injection scan), and the output of the tools
     * that answered them, which is where indirect injection arrives. Reasoning items are encrypted by the provider and
     * must come back unchanged.
     */
    private static void responsesRequest(JsonNode request, List<Slot> slots) {
        strings(request, "", "instructions", slots, false);
        JsonNode input = request.path("input");
        if (input.isTextual()) {
            strings(request, "", "input", slots, true);
            return;
        }
        for (int i = 0; i < input.size(); i++) {
            JsonNode item = input.get(i);
            String at = "/input/" + i;
            switch (item.path("type").asText(item.has("role") ? "message" : "")) {
                case "message" -> {
                    boolean injection = !INSTRUCTION_ROLES.contains(item.path("role").asText());
                    textOrParts(item, at, "content", slots, injection);
                }
                case "function_call" -> strings(item, at, "arguments", slots, false);
                case "custom_tool_call" -> strings(item, at, "input", slots, false);
                case "function_call_output", "custom_tool_call_output" -> textOrParts(item, at, "output", slots, true);
                default -> {
                }
            }
        }
    }

    /**
     * {@code node.field} when it is a string, or each string in it when it is an array of strings; {@code at} is the
     * pointer of {@code node}.
     */
    private static void strings(JsonNode node, String at, String field, List<Slot> slots, boolean injection) {
        JsonNode value = node.path(field);
        if (value.isTextual()) {
            slots.add(new Slot(node, at, field, injection));
        } else if (value.isArray()) {
            for (int i = 0; i < value.size(); i++) {
                if (value.get(i).isTextual()) {
                    slots.add(new Slot(value, pointer(at, field), null, i, injection));
                }
            }
        }
    }

    /** {@code node.field} when it is a string, or the text parts in it when it is an array of them. */
    private static void textOrParts(JsonNode node, String at, String field, List<Slot> slots, boolean injection) {
        strings(node, at, field, slots, injection);
        textParts(node.path(field), pointer(at, field), slots, injection);
    }

    /**
     * {@code parts} when it is a text part ({@code type} {@code text}, {@code input_text} or {@code output_text}), else
     * each such part in the array {@code parts}; {@code at} is the pointer of {@code parts}.
     */
    private static void textParts(JsonNode parts, String at, List<Slot> slots, boolean injection) {
        if (parts.isObject()) {
            if (TEXT_PARTS.contains(parts.path("type").asText()) && parts.path("text").isTextual()) {
                slots.add(new Slot(parts, at, "text", injection));
            }
        } else if (parts.isArray()) {
            for (int i = 0; i < parts.size(); i++) {
                if (parts.get(i).isObject()) {
                    textParts(parts.get(i), at + "/" + i, slots, injection);
                }
            }
        }
    }

    /** Every string value inside a tool's JSON input, in document order; {@code at} is the pointer of {@code node}. */
    private static void stringLeaves(JsonNode node, String at, List<Slot> slots, boolean injection) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                if (e.getValue().isTextual()) {
                    slots.add(new Slot(node, at, e.getKey(), injection));
                } else {
                    stringLeaves(e.getValue(), pointer(at, e.getKey()), slots, injection);
                }
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                if (node.get(i).isTextual()) {
                    slots.add(new Slot(node, at, null, i, injection));
                } else {
                    stringLeaves(node.get(i), at + "/" + i, slots, injection);
                }
            }
        }
    }

    /** The {@code function.arguments} of each of a message's {@code tool_calls}; {@code at} is the message's pointer. */
    private static void toolArguments(JsonNode message, String at, List<Slot> slots, boolean injection) {
        JsonNode calls = message.path("tool_calls");
        for (int i = 0; i < calls.size(); i++) {
            JsonNode function = calls.get(i).path("function");
            if (function.isObject()) {
                strings(function, at + "/tool_calls/" + i + "/function", "arguments", slots, injection);
            }
        }
    }

    /**
     * {@code at} extended by the member {@code name}, escaped as RFC 6901 requires. The names inside a tool's input are
     * the model's to choose and go into audit events: one that does not look like a plain identifier (letters, {@code _}
     * and {@code -}, at most 32) is written as {@code *}, so that no value-like text reaches an event through it.
     */
    static String pointer(String at, String name) {
        return at + "/" + (MEMBER_NAME.matcher(name).matches() ? name : "*");
    }

    /**
     * Scans an answer of {@code endpoint} that was not streamed: its texts, and the arguments or input of its tool
     * calls, which the IDE runs: a secret or a data-carrying link there leaves as surely as in text.
     */
    public Verdict scanCompletion(Endpoint endpoint, JsonNode completion, Policy policy) {
        List<Slot> slots = new ArrayList<>();
        switch (endpoint) {
            case CHAT_COMPLETIONS -> {
                JsonNode choices = completion.path("choices");
                for (int i = 0; i < choices.size(); i++) {
                    JsonNode message = choices.get(i).path("message");
                    String at = "/choices/" + i + "/message";
                    strings(message, at, "content", slots, true);
                    toolArguments(message, at, slots, true);
                }
            }
            case COMPLETIONS -> {
                JsonNode choices = completion.path("choices");
                for (int i = 0; i < choices.size(); i++) {
                    strings(choices.get(i), "/choices/" + i, "text", slots, true);
                }
            }
            case RESPONSES -> {
                JsonNode output = completion.path("output");
                for (int i = 0; i < output.size(); i++) {
                    JsonNode item = output.get(i);
                    String at = "/output/" + i;
                    textParts(item.path("content"), at + "/content", slots, true);
                    strings(item, at, "arguments", slots, true);
                    strings(item, at, "input", slots, true);
                }
            }
            case MESSAGES -> {
                JsonNode content = completion.path("content");
                for (int i = 0; i < content.size(); i++) {
                    JsonNode block = content.get(i);
                    if ("tool_use".equals(block.path("type").asText())) {
                        stringLeaves(block.path("input"), "/content/" + i + "/input", slots, true);
                    } else {
                        textParts(block, "/content/" + i, slots, true);
                    }
                }
            }
            case EMBEDDINGS, COUNT_TOKENS -> {
                // numbers only
            }
        }
        return scan(slots, List.of(), Direction.RESPONSE, policy);
    }

    /** All findings in one text, for the "test a policy" view. */
    public List<Finding> findings(String text, Direction direction) {
        return scanner.scan(text, direction);
    }

    /** A guard for one answer streamed in {@code api}'s events, under {@code policy}. */
    public StreamGuard streamGuard(Api api, Policy policy) {
        return new StreamGuard(api, policy, responseDetectors, config.streamLookBack(), audit, json);
    }

    /** The tool-poisoning findings in one tool definition's text ({@link ToolPoisoningDetector#text}), cached. */
    public List<Finding> toolFindings(String text) {
        if (text.length() > CACHED_TOOL_CHARS) {
            return scanner.scanToolDefinition(text);
        }
        List<Finding> cached = toolFindings.get(text);
        if (cached == null) {
            cached = List.copyOf(scanner.scanToolDefinition(text));
            toolFindings.put(text, cached);
        }
        return cached;
    }

    /**
     * Scans the texts, then the tool definitions, under {@code policy}. A tool definition is never rewritten: where the
     * policy would redact in one, it alerts.
     */
    private Verdict scan(List<Slot> slots, List<ToolDefinition> tools, Direction direction, Policy policy) {
        Tally tally = new Tally(direction, policy);
        for (Slot slot : slots) {
            String text = slot.text();
            List<Finding> redact = tally.add(text, scanner.scan(text, direction, slot.injection()), slot.location(), null);
            if (!redact.isEmpty()) {
                slot.replace(Redactor.redact(text, redact));
                tally.redacted = true;
            }
        }
        for (ToolDefinition tool : tools) {
            tally.add(tool.text(), toolFindings(tool.text()), tool.location(), tool);
        }
        return new Verdict(tally.action, tally.blocking, tally.redacted, tally.recorded,
                tally.blockingTool == null ? null : tally.blockingTool.name());
    }

    /** What scanning one request or answer has come to so far; offsets count through the texts in scan order. */
    private final class Tally {
        private final Direction direction;
        private final Policy policy;
        PolicyAction action = PolicyAction.ALLOW;
        Finding blocking;
        ToolDefinition blockingTool;
        boolean redacted;
        final List<SecurityFinding> recorded = new ArrayList<>();
        private int offset;

        Tally(Direction direction, Policy policy) {
            this.direction = direction;
            this.policy = policy;
        }

        /**
         * Adds the findings of one text, a message's or those of {@code tool}'s definition; returns those to redact in a
         * message's text (a definition is not rewritten).
         */
        List<Finding> add(String text, List<Finding> findings, String location, ToolDefinition tool) {
            boolean rewritable = tool == null;
            Decision decision = policy.decide(findings);
            for (Finding f : findings) {
                CategoryPolicy rule = policy.rule(f.category());
                PolicyAction act = !rewritable && rule.action() == PolicyAction.REDACT ? PolicyAction.ALERT : rule.action();
                if (f.score() >= rule.threshold()) {
                    recorded.add(audit.of(f.shift(offset), text.substring(f.start(), Math.min(f.end(), text.length())),
                            direction, act, location));
                }
                if (f.score() >= rule.threshold() && act == PolicyAction.BLOCK
                        && (blocking == null || (learned(blocking) && !learned(f)))) {
                    blocking = f;
                    blockingTool = tool;
                }
            }
            boolean redacts = decision.action() == PolicyAction.REDACT;
            action = action.max(redacts && !rewritable ? PolicyAction.ALERT : decision.action());
            offset += text.length();
            return rewritable ? decision.redact() : List.of();
        }
    }

    /**
     * Whether a finding is the learned model's. The error the IDE shows names the blocking finding, and a named rule
     * ("instruction_override") tells the developer what was seen where the model's window does not, so a rule that
     * blocks is named in preference to the model, whichever comes first in the text.
     */
    private static boolean learned(Finding f) {
        return InjectionDetector.MODEL_TYPE.equals(f.type());
    }
}
