package io.infershield.auth.link;

import java.util.concurrent.CompletableFuture;

/**
 * Sends one device_code poll to an upstream token endpoint (RFC 8628 §3.4). A provider adapter implements it over HTTP,
 * with the provider's URL, client_id and quirks (GitHub: {@code Accept: application/json}, checklist B7).
 */
@FunctionalInterface
public interface TokenEndpointTransport {

    /**
     * Starts one poll.
     *
     * @return a future of the answer, whatever its status; it completes exceptionally on a connection failure, which the
     *         flow retries with back-off. {@link DeviceFlow#cancel()} cancels it, and the implementation should then
     *         abort the request.
     */
    CompletableFuture<TokenEndpointResponse> poll(DeviceCode deviceCode);
}
