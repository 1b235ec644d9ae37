package io.infershield.proxy.service;

/**
 * The provider API a route speaks, and so the shape of its bodies, its streamed events and its errors. An IDE talks
 * to the gateway in one of them and is answered in the same one, errors included: an SDK only understands its own.
 */
public enum Api {
    /** OpenAI's chat completions ({@code choices}, {@code data: [DONE]}, {@code {"error": {…}}}). */
    OPENAI,
    /** Anthropic's Messages ({@code content} blocks, named SSE events, {@code {"type": "error", "error": {…}}}). */
    ANTHROPIC
}
