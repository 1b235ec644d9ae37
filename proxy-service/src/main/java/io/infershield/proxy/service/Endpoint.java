package io.infershield.proxy.service;

/**
 * The provider endpoints the gateway screens and forwards: the API each belongs to, and the path it is forwarded to
 * under the upstream's base URL. What is text in a request or an answer depends on the endpoint (see
 * {@link SecurityLayer}).
 */
public enum Endpoint {
    CHAT_COMPLETIONS(Api.OPENAI, "/chat/completions"),
    /** The Responses API, which OpenAI's Codex speaks. */
    RESPONSES(Api.OPENAI, "/responses"),
    /** Legacy completions: code completion with a {@code prompt} and an optional {@code suffix}. */
    COMPLETIONS(Api.OPENAI, "/completions"),
    EMBEDDINGS(Api.OPENAI, "/embeddings"),
    MESSAGES(Api.ANTHROPIC, "/messages"),
    COUNT_TOKENS(Api.ANTHROPIC, "/messages/count_tokens");

    private final Api api;
    private final String path;

    Endpoint(Api api, String path) {
        this.api = api;
        this.path = path;
    }

    public Api api() {
        return api;
    }

    /** The path under the upstream's base URL (which ends in {@code /v1}). */
    public String path() {
        return path;
    }
}
