package io.infershield.proxy.service;

import io.infershield.proxy.config.ProxyConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Chooses the upstream for a request in one API and a model name. Only upstreams that speak the request's API are
 * candidates. A model that starts with such an upstream's {@code model-prefix} goes there with the prefix removed
 * ({@code copilot/gpt-4o} → Copilot, {@code gpt-4o}); every other model goes to that API's default upstream.
 */
@ApplicationScoped
public class UpstreamRouter {

    /** Where one request goes. */
    public record Route(String name, ProxyConfig.Upstream upstream, String model) {
    }

    private final ProxyConfig config;
    private final List<Map.Entry<String, ProxyConfig.Upstream>> prefixed;

    UpstreamRouter(ProxyConfig config) {
        this.config = config;
        ProxyConfig.Upstream openai = config.upstreams().get(config.defaultUpstream());
        if (openai == null || openai.api() != Api.OPENAI) {
            throw new IllegalStateException("proxy.default-upstream names no configured OpenAI-API upstream: "
                    + config.defaultUpstream());
        }
        // Longest prefix first, so "copilot/enterprise/" wins over "copilot/".
        this.prefixed = config.upstreams().entrySet().stream()
                .filter(e -> e.getValue().modelPrefix().isPresent())
                .sorted(Comparator.comparingInt((Map.Entry<String, ProxyConfig.Upstream> e) ->
                        e.getValue().modelPrefix().get().length()).reversed())
                .toList();
    }

    /** The route for a request in {@code api} for {@code model}; fails when no upstream speaks {@code api}. */
    public Route route(Api api, String model) {
        for (Map.Entry<String, ProxyConfig.Upstream> e : prefixed) {
            String prefix = e.getValue().modelPrefix().get();
            if (e.getValue().api() == api && model.startsWith(prefix) && model.length() > prefix.length()) {
                return new Route(e.getKey(), e.getValue(), model.substring(prefix.length()));
            }
        }
        String name = api == Api.ANTHROPIC ? config.defaultAnthropicUpstream() : config.defaultUpstream();
        ProxyConfig.Upstream upstream = config.upstreams().get(name);
        if (upstream == null || upstream.api() != api) {
            throw GatewayException.noUpstreamFor(api);
        }
        return new Route(name, upstream, model);
    }

    /** The default upstream of {@code api}, for requests that name no model ({@code GET /v1/models}). */
    public Route defaultRoute(Api api) {
        return route(api, "");
    }
}
