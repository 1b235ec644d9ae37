package io.infershield.token.service;

import io.infershield.token.config.TokenConfig;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Stores the org key mounted as a secret ({@code TOKEN_BOOTSTRAP_ORG_KEY_API_KEY}) at every start. A deployment that
 * asked for a key and cannot store it would serve requests without one, so a failure here stops the start.
 */
@ApplicationScoped
public class OrgKeyBootstrap {

    void onStart(@Observes StartupEvent event, TokenConfig config, OrgKeyService orgKeys) {
        TokenConfig.BootstrapOrgKey bootstrap = config.bootstrapOrgKey();
        bootstrap.apiKey().ifPresent(apiKey -> {
            try {
                // Hibernate Reactive needs a Vert.x context, which a startup observer does not run on.
                VertxContextSupport.subscribeAndAwait(
                        () -> orgKeys.store(OrgKeyService.access(bootstrap.tenant(), bootstrap.provider(), "bootstrap",
                                "bootstrap"), apiKey));
            } catch (Throwable e) {
                throw new IllegalStateException("Could not store the bootstrap org key (TOKEN_BOOTSTRAP_ORG_KEY_API_KEY) "
                        + "for tenant " + bootstrap.tenant() + ", provider " + bootstrap.provider(), e);
            }
        });
    }
}
