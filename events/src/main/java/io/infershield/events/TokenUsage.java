package io.infershield.events;

/**
 * The tokens an upstream answer cost, as the provider reported them in its answer ({@code usage}), or estimated by the
 * gateway when the answer reported none.
 *
 * @param inputTokens  tokens of the prompt: OpenAI's {@code prompt_tokens} or {@code input_tokens}; Anthropic's
 *                     {@code input_tokens} plus its cache-write and cache-read tokens, so that it means what OpenAI's
 *                     figure (which includes cached tokens) means
 * @param outputTokens tokens of the answer: OpenAI's {@code completion_tokens} or {@code output_tokens}, Anthropic's
 *                     {@code output_tokens}; 0 for embeddings
 * @param estimated    true when the answer carried no usage and the figures are the gateway's conservative estimate
 *                     (about 4 bytes a token of what was sent and relayed), not the provider's count
 */
public record TokenUsage(long inputTokens, long outputTokens, boolean estimated) {

    /** Input and output together: what a daily token budget counts. */
    public long total() {
        return inputTokens + outputTokens;
    }
}
