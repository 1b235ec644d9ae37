package io.infershield.proxy.service;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infershield.events.TokenUsage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Counts the tokens one successful upstream answer cost, from the usage the provider reports in it, while the answer
 * is relayed:
 * <ul>
 * <li>a JSON answer: its top-level {@code usage}, chat and legacy completions' {@code prompt_tokens} and
 * {@code completion_tokens}, the Responses API's and Anthropic's {@code input_tokens} and {@code output_tokens},
 * embeddings' {@code prompt_tokens}. It is read as the bytes pass, so a large answer (a batch of embeddings) is never
 * held whole;</li>
 * <li>a streamed answer, event by event: a chunk's {@code usage} (OpenAI's last chunk, when
 * {@code stream_options.include_usage} is set), the {@code response.usage} of {@code response.completed} (or
 * {@code .incomplete}, {@code .failed}), Anthropic's {@code message_start.message.usage} and the cumulative
 * {@code message_delta.usage}; a later figure for a field replaces the earlier one.</li>
 * </ul>
 * Anthropic's cache-write and cache-read input tokens are added to its input tokens: the provider processed them as
 * prompt, and OpenAI's {@code prompt_tokens} include its cached tokens too.
 *
 * <p>When the gateway asked for a chat stream's usage on the client's behalf ({@code hideUsage}), the chunk that
 * carries it (no choices, a usage) is not relayed, and the {@code "usage": null} every other chunk then carries is
 * removed: the client gets the stream it asked for.
 *
 * <p>An answer that reports no usage is estimated instead, conservatively: a token per {@value #BYTES_PER_TOKEN} bytes
 * of the request body and of the answer relayed, JSON and event framing included, so it errs high and an upstream that
 * omits usage cannot be used to get around a budget. An answer cut short (the IDE went away, the policy blocked it)
 * counts at least that estimate of what was relayed: Anthropic's {@code message_start} reports one output token, and
 * dropping the connection before {@code message_delta} must not make a whole answer cost one token.
 *
 * <p>Not thread-safe: one instance per answer, used by one thread at a time.
 */
public final class UsageMeter {

    /** The estimate's rate, a rough average for English text and code in the providers' tokenizers. */
    static final int BYTES_PER_TOKEN = 4;

    private final boolean hideUsage;
    private final long requestBytes;
    private final ObjectMapper json;
    /** The events of a streamed answer; null for a JSON answer. */
    private final SseFramer events;
    /** The JSON answer, parsed as it arrives; null for a streamed answer, or once it turned out not to be JSON. */
    private JsonParser body;
    private int depth;
    private String topField;
    private String usageField;
    /** The integer fields of the usage reported so far, by name. */
    private final Map<String, Long> reported = new HashMap<>();
    private long relayedBytes;
    private boolean complete;

    /**
     * @param eventStream  whether the answer is {@code text/event-stream}
     * @param hideUsage    whether the gateway asked for the usage chunk of an OpenAI stream, which the client did not
     * @param requestBytes the size of the request body, for an estimate
     */
    public UsageMeter(boolean eventStream, boolean hideUsage, long requestBytes, ObjectMapper json) {
        this.hideUsage = hideUsage;
        this.requestBytes = requestBytes;
        this.json = json;
        this.events = eventStream ? new SseFramer() : null;
        if (!eventStream) {
            try {
                body = json.getFactory().createNonBlockingByteArrayParser();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Takes the next bytes of the answer; returns what to relay now (a JSON answer's bytes pass unchanged). */
    public byte[] accept(byte[] chunk) {
        if (events == null) {
            feed(chunk);
            relayedBytes += chunk.length;
            return chunk;
        }
        StringBuilder out = new StringBuilder();
        for (String raw : events.feed(chunk)) {
            out.append(event(raw));
        }
        return relayed(out);
    }

    /** The answer ended as the upstream meant it to; returns what is left to relay. */
    public byte[] finish() {
        complete = true;
        if (events == null) {
            if (body != null) {
                ((ByteArrayFeeder) body.getNonBlockingInputFeeder()).endOfInput();
                feed(new byte[0]);
            }
            return new byte[0];
        }
        String rest = events.rest();
        return relayed(new StringBuilder(rest == null ? "" : event(rest)));
    }

    /** What the answer cost so far: as reported, or estimated (see the class comment). */
    public TokenUsage usage() {
        long estimatedOutput = estimate(relayedBytes);
        Long input = reported.getOrDefault("input_tokens", reported.get("prompt_tokens"));
        Long output = reported.getOrDefault("output_tokens", reported.get("completion_tokens"));
        if (input == null && output == null) {
            return new TokenUsage(estimate(requestBytes), estimatedOutput, true);
        }
        long in = nonNegative(input) + nonNegative(reported.get("cache_creation_input_tokens"))
                + nonNegative(reported.get("cache_read_input_tokens"));
        long out = nonNegative(output);
        if (!complete && out < estimatedOutput) {
            return new TokenUsage(in, estimatedOutput, true);
        }
        return new TokenUsage(in, out, false);
    }

    private byte[] relayed(StringBuilder out) {
        byte[] bytes = out.toString().getBytes(StandardCharsets.UTF_8);
        relayedBytes += bytes.length;
        return bytes;
    }

    /** One event of a stream: its usage read, and what of it to relay. */
    private String event(String raw) {
        String data = SseFramer.data(raw);
        // Only an event that names a usage matters; the rest (nearly all) pass unparsed.
        if (data == null || !data.contains("\"usage\"")) {
            return raw;
        }
        JsonNode node;
        try {
            node = json.readTree(data);
        } catch (JsonProcessingException e) {
            return raw;
        }
        if (!(node instanceof ObjectNode event)) {
            return raw;
        }
        read(event.get("usage"));
        read(event.path("response").get("usage"));
        read(event.path("message").get("usage"));
        if (!hideUsage || !event.has("usage")) {
            return raw;
        }
        if (event.get("usage").isObject() && event.path("choices").isArray() && event.get("choices").isEmpty()) {
            return "";
        }
        if (event.get("usage").isNull()) {
            event.remove("usage");
            try {
                return SseFramer.withData(raw, json.writeValueAsString(event));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a parsed JSON tree always serialises", e);
            }
        }
        return raw;
    }

    private void read(JsonNode usage) {
        if (usage != null && usage.isObject()) {
            usage.fields().forEachRemaining(field -> {
                if (field.getValue().isIntegralNumber() && field.getValue().canConvertToLong()) {
                    reported.put(field.getKey(), field.getValue().longValue());
                }
            });
        }
    }

    /**
     * Feeds a JSON answer's bytes to its parser and keeps the integers directly under the top-level {@code usage}.
     * An answer that is not JSON is left to the estimate.
     */
    private void feed(byte[] chunk) {
        if (body == null) {
            return;
        }
        try {
            if (chunk.length > 0) {
                ((ByteArrayFeeder) body.getNonBlockingInputFeeder()).feedInput(chunk, 0, chunk.length);
            }
            JsonToken token;
            while ((token = body.nextToken()) != null && token != JsonToken.NOT_AVAILABLE) {
                switch (token) {
                    case START_OBJECT, START_ARRAY -> depth++;
                    case END_OBJECT, END_ARRAY -> depth--;
                    case FIELD_NAME -> {
                        if (depth == 1) {
                            topField = body.currentName();
                        } else if (depth == 2) {
                            usageField = body.currentName();
                        }
                    }
                    case VALUE_NUMBER_INT -> {
                        if (depth == 2 && "usage".equals(topField)) {
                            reported.put(usageField, body.getLongValue());
                        }
                    }
                    default -> {
                    }
                }
            }
        } catch (IOException e) {
            body = null;
        }
    }

    private static long estimate(long bytes) {
        return (bytes + BYTES_PER_TOKEN - 1) / BYTES_PER_TOKEN;
    }

    private static long nonNegative(Long value) {
        return value == null ? 0 : Math.max(0, value);
    }
}
