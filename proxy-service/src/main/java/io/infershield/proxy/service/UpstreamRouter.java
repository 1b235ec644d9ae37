package io.infershield.proxy.service;

import io.infershield.proxy.config.ProxyConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Chooses the upstream for a model name. A model that starts with an upstream's {@code model-prefix} goes there with the
 * prefix removed ({@code copilot/gpt-4o} → Copilot, {@code gpt-4o}); every other model goes to the default upstream.
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
        if (!config.upstreams().containsKey(config.defaultUpstream())) {
            throw new IllegalStateException("proxy.default-upstream names no configured upstream: "
                    + config.defaultUpstream());
        }
        // Longest prefix first, so "copilot/enterprise/" wins over "copilot/".
        this.prefixed = config.upstreams().entrySet().stream()
                .filter(e -> e.getValue().modelPrefix().isPresent())
                .sorted(Comparator.comparingInt((Map.Entry<String, ProxyConfig.Upstream> e) ->
                        e.getValue().modelPrefix().get().length()).reversed())
                .toList();
    }

    /** The route for {@code model}. */
    public Route route(String model) {
        for (Map.Entry<String, ProxyConfig.Upstream> e : prefixed) {
            String prefix = e.getValue().modelPrefix().get();
            if (model.startsWith(prefix) && model.length() > prefix.length()) {
                return new Route(e.getKey(), e.getValue(), model.substring(prefix.length()));
            }
        }
        return new Route(config.defaultUpstream(), config.upstreams().get(config.defaultUpstream()), model);
    }

    /** The default upstream, for requests that name no model ({@code GET /v1/models}). */
    public Route defaultRoute() {
        return route("");
    }
}
