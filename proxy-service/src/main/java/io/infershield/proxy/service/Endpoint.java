package io.infershield.proxy.service;

/**
 * The provider endpoints the gateway screens and forwards: the API each belongs to, and the path it is forwarded to
 * under the upstream's base URL, and whether it costs tokens. What is text in a request or an answer depends on the endpoint (see
 * {@link SecurityLayer}).
 */
public enum Endpoint {
    CHAT_COMPLETIONS(Api.OPENAI, "/chat/completions", true, true),
    /** The Responses API, which OpenAI's Codex speaks. */
    RESPONSES(Api.OPENAI, "/responses", true, true),
    /** Legacy completions: code completion with a {@code prompt} and an optional {@code suffix}. */
    COMPLETIONS(Api.OPENAI, "/completions", true, true),
    EMBEDDINGS(Api.OPENAI, "/embeddings", false, true),
    MESSAGES(Api.ANTHROPIC, "/messages", true, true),
    /** Counting a prompt's tokens is free at Anthropic: it counts against no budget. */
    COUNT_TOKENS(Api.ANTHROPIC, "/messages/count_tokens", false, false);

    private final Api api;
    private final String path;
    private final boolean textAnswer;
    private final boolean costsTokens;

    Endpoint(Api api, String path, boolean textAnswer, boolean costsTokens) {
        this.api = api;
        this.path = path;
        this.textAnswer = textAnswer;
        this.costsTokens = costsTokens;
    }

    /** Whether the provider bills the answer in tokens: only then is its usage counted and the budget checked. */
    public boolean costsTokens() {
        return costsTokens;
    }

    /** Whether the answer holds generated text: only then may it be streamed, and it is scanned. */
    public boolean textAnswer() {
        return textAnswer;
    }

    public Api api() {
        return api;
    }

    /** The path under the upstream's base URL (which ends in {@code /v1}). */
    public String path() {
        return path;
    }
}
