package io.infershield.token.service;

import io.infershield.token.config.TokenConfig;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stores the org keys mounted as secrets ({@code TOKEN_BOOTSTRAP_ORG_KEYS_<PROVIDER>_API_KEY}, and the single-key
 * {@code TOKEN_BOOTSTRAP_ORG_KEY_API_KEY}) at every start. A deployment that asked for a key and cannot store it would
 * serve requests without one, so a failure here stops the start. So does one tenant's provider given in both forms:
 * which of two secrets wins must not depend on the order they are read in.
 */
@ApplicationScoped
public class OrgKeyBootstrap {

    private record Target(String tenant, String provider) {
    }

    void onStart(@Observes StartupEvent event, TokenConfig config, OrgKeyService orgKeys) {
        Map<Target, String> apiKeys = new LinkedHashMap<>();
        TokenConfig.NamedBootstrapOrgKey single = config.bootstrapOrgKey();
        single.apiKey().ifPresent(apiKey -> apiKeys.put(new Target(single.tenant(), single.provider()), apiKey));
        config.bootstrapOrgKeys().forEach((provider, key) -> key.apiKey().ifPresent(apiKey -> {
            if (apiKeys.putIfAbsent(new Target(key.tenant(), provider), apiKey) != null) {
                throw new IllegalStateException("The bootstrap org key for tenant " + key.tenant() + ", provider "
                        + provider + " is set twice: use TOKEN_BOOTSTRAP_ORG_KEYS_" + provider.toUpperCase()
                        .replace('-', '_') + "_API_KEY or TOKEN_BOOTSTRAP_ORG_KEY_API_KEY, not both");
            }
        }));
        apiKeys.forEach((target, apiKey) -> {
            try {
                // Hibernate Reactive needs a Vert.x context, which a startup observer does not run on.
                VertxContextSupport.subscribeAndAwait(() -> orgKeys.store(
                        OrgKeyService.access(target.tenant(), target.provider(), "bootstrap", "bootstrap"), apiKey));
            } catch (Throwable e) {
                throw new IllegalStateException("Could not store the bootstrap org key for tenant " + target.tenant()
                        + ", provider " + target.provider(), e);
            }
        });
    }
}
