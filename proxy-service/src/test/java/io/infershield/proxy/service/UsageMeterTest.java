package io.infershield.proxy.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.infershield.events.TokenUsage;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The accounting of one answer, per API and shape: what each provider reports and where, a usage chunk kept from a
 * client that did not ask for it, and the estimate when there is no usage. Answers are fed in small pieces that cut
 * events and JSON anywhere, as the network does.
 */
class UsageMeterTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int REQUEST_BYTES = 90;

    /** Feeds {@code answer} in pieces of {@code piece} bytes and finishes; answers what was relayed. */
    private static String relay(UsageMeter meter, String answer, int piece) {
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < bytes.length; i += piece) {
            out.writeBytes(meter.accept(Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + piece))));
        }
        out.writeBytes(meter.finish());
        return out.toString(StandardCharsets.UTF_8);
    }

    private static UsageMeter json() {
        return new UsageMeter(false, false, REQUEST_BYTES, JSON);
    }

    private static UsageMeter stream(boolean hideUsage) {
        return new UsageMeter(true, hideUsage, REQUEST_BYTES, JSON);
    }

    private static String sse(String... data) {
        StringBuilder out = new StringBuilder();
        for (String d : data) {
            out.append("data: ").append(d).append("\n\n");
        }
        return out.toString();
    }

    @Test
    void aChatCompletionCountsItsPromptAndCompletionTokensAndPassesUnchanged() {
        String body = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"message\":"
                + "{\"role\":\"assistant\",\"content\":\"usage: none\"},\"finish_reason\":\"stop\"}],\"usage\":"
                + "{\"prompt_tokens\":12,\"completion_tokens\":5,\"total_tokens\":17,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":3}}}";
        UsageMeter meter = json();

        assertEquals(body, relay(meter, body, 3));
        assertEquals(new TokenUsage(12, 5, false), meter.usage());
    }

    @Test
    void embeddingsCountTheirPromptTokensOnly() {
        UsageMeter meter = json();
        relay(meter, "{\"object\":\"list\",\"usage\":{\"prompt_tokens\":7,\"total_tokens\":7},\"data\":[{\"object\":"
                + "\"embedding\",\"index\":0,\"embedding\":[0.1,-0.2]}],\"model\":\"text-embedding-3-small\"}", 5);

        assertEquals(new TokenUsage(7, 0, false), meter.usage());
    }

    @Test
    void aResponseCountsItsInputAndOutputTokensButNotTheirDetails() {
        UsageMeter meter = json();
        relay(meter, "{\"id\":\"resp_1\",\"object\":\"response\",\"output\":[{\"type\":\"message\",\"content\":[{\"type\":"
                + "\"output_text\",\"text\":\"hi\"}]}],\"usage\":{\"input_tokens\":9,\"input_tokens_details\":"
                + "{\"cached_tokens\":4},\"output_tokens\":2,\"output_tokens_details\":{\"reasoning_tokens\":1},"
                + "\"total_tokens\":11}}", 1);

        assertEquals(new TokenUsage(9, 2, false), meter.usage());
    }

    @Test
    void anAnthropicMessageCountsItsCacheTokensAsInput() {
        UsageMeter meter = json();
        relay(meter, "{\"id\":\"msg_1\",\"type\":\"message\",\"content\":[{\"type\":\"text\",\"text\":\"hi\"}],"
                + "\"usage\":{\"input_tokens\":10,\"cache_creation_input_tokens\":100,\"cache_read_input_tokens\":1000,"
                + "\"output_tokens\":20}}", 7);

        assertEquals(new TokenUsage(1110, 20, false), meter.usage());
    }

    @Test
    void aChatStreamWhoseClientAskedForUsageIsRelayedByteForByte() {
        String stream = sse("{\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":"
                        + "\"Hi\"},\"finish_reason\":null}],\"usage\":null}",
                "{\"object\":\"chat.completion.chunk\",\"choices\":[],\"usage\":{\"prompt_tokens\":4,"
                        + "\"completion_tokens\":1,\"total_tokens\":5}}",
                "[DONE]");
        UsageMeter meter = stream(false);

        assertEquals(stream, relay(meter, stream, 9));
        assertEquals(new TokenUsage(4, 1, false), meter.usage());
    }

    @Test
    void theUsageTheGatewayAskedForIsNotRelayed() {
        String upstream = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":"
                + "{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}],\"usage\":null}\n\n"
                + "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":"
                + "{\"content\":\"Echo: hi\"},\"finish_reason\":null}],\"usage\":null}\r\n\r\n"
                + "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{},"
                + "\"finish_reason\":\"stop\"}],\"usage\":null}\n\n"
                + "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[],\"usage\":"
                + "{\"prompt_tokens\":1,\"completion_tokens\":2,\"total_tokens\":3}}\n\n"
                + "data: [DONE]\n\n";
        UsageMeter meter = stream(true);

        assertEquals("data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":"
                + "{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n"
                + "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":"
                + "{\"content\":\"Echo: hi\"},\"finish_reason\":null}]}\n\n"
                + "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{},"
                + "\"finish_reason\":\"stop\"}]}\n\n"
                + "data: [DONE]\n\n", relay(meter, upstream, 11));
        assertEquals(new TokenUsage(1, 2, false), meter.usage());
    }

    @Test
    void aResponsesStreamCountsTheUsageOfResponseCompleted() {
        String stream = "event: response.created\ndata: {\"type\":\"response.created\",\"response\":{\"id\":\"r\","
                + "\"status\":\"in_progress\",\"usage\":null}}\n\n"
                + "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"delta\":\"Hi\"}\n\n"
                + "event: response.completed\ndata: {\"type\":\"response.completed\",\"response\":{\"id\":\"r\","
                + "\"status\":\"completed\",\"usage\":{\"input_tokens\":8,\"input_tokens_details\":{\"cached_tokens\":0},"
                + "\"output_tokens\":3,\"total_tokens\":11}}}\n\n";
        UsageMeter meter = stream(false);

        assertEquals(stream, relay(meter, stream, 13));
        assertEquals(new TokenUsage(8, 3, false), meter.usage());
    }

    @Test
    void anAnthropicStreamTakesInputFromMessageStartAndTheCumulativeOutputFromMessageDelta() {
        String stream = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"usage\":"
                + "{\"input_tokens\":25,\"cache_read_input_tokens\":5,\"output_tokens\":1}}}\n\n"
                + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":"
                + "\"text_delta\",\"text\":\"Hello\"}}\n\n"
                + "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},"
                + "\"usage\":{\"output_tokens\":15}}\n\n"
                + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";
        UsageMeter meter = stream(false);

        assertEquals(stream, relay(meter, stream, 6));
        assertEquals(new TokenUsage(30, 15, false), meter.usage());
    }

    @Test
    void anAnswerWithoutUsageIsEstimatedAtFourBytesATokenOfWhatWentEachWay() {
        String stream = sse("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hello there\"}}]}", "[DONE]");
        UsageMeter meter = stream(false);
        relay(meter, stream, 4);

        int relayed = stream.getBytes(StandardCharsets.UTF_8).length;
        assertEquals(new TokenUsage(REQUEST_BYTES / 4 + 1, (relayed + 3) / 4, true), meter.usage());

        UsageMeter notJson = json();
        relay(notJson, "<html>502</html>", 4);
        assertEquals(new TokenUsage(23, 4, true), notJson.usage());
    }

    @Test
    void aStreamCutShortCountsAtLeastWhatWasRelayed() {
        String started = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"usage\":"
                + "{\"input_tokens\":25,\"output_tokens\":1}}}\n\n"
                + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":"
                + "\"text_delta\",\"text\":\"" + "a long answer ".repeat(20) + "\"}}\n\n";
        UsageMeter meter = stream(false);
        byte[] relayed = meter.accept(started.getBytes(StandardCharsets.UTF_8));

        assertEquals(new TokenUsage(25, (relayed.length + 3) / 4, true), meter.usage());
    }
}
