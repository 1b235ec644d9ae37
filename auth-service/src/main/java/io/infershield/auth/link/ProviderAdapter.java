package io.infershield.auth.link;

import io.infershield.auth.config.AuthConfig;

import java.util.concurrent.CompletableFuture;

/**
 * One upstream provider's dialect of the device flow: how to ask for a user code, and how to poll for the token.
 * The polling rules themselves live in {@link DeviceFlow}, shared by every provider.
 */
public interface ProviderAdapter {

    /**
     * Asks the provider for a device authorization (RFC 8628 §3.1, or the provider's equivalent).
     *
     * @return a future that fails with {@link ProviderRefused} when the provider does not start a flow
     */
    CompletableFuture<DeviceAuthorizationResponse> authorize();

    /**
     * The transport that polls for the token of {@code authorization}, which may have been rebuilt from storage after a
     * restart. A successful poll answers a token response (RFC 6749 §5.1), whatever steps the provider needs for it.
     */
    TokenEndpointTransport transport(DeviceAuthorizationResponse authorization);

    /**
     * The adapter for a configured provider, with the defaults of its kind filled in.
     *
     * @throws IllegalStateException when the configuration cannot work, naming the provider
     */
    static ProviderAdapter of(String name, AuthConfig.LinkProvider config, UpstreamHttp http) {
        return switch (config.kind()) {
            case GITHUB -> Rfc8628Adapter.github(config, http);
            case OPENAI_CODEX -> new OpenAiCodexAdapter(config, http);
            case RFC8628 -> Rfc8628Adapter.standard(name, config, http);
        };
    }
}
