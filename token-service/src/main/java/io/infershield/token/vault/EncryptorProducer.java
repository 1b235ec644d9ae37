package io.infershield.token.vault;

import io.infershield.token.config.TokenConfig;
import io.quarkus.runtime.Startup;
import io.quarkus.vault.VaultTransitSecretReactiveEngine;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * Chooses the encryption backend by {@code token.vault.kind}. {@link Startup} makes a missing or malformed master key
 * stop the service at start rather than at the first write; Transit is only looked up when chosen, so the local
 * keyring needs no Vault configuration at all.
 */
public class EncryptorProducer {

    private static final Logger LOG = Logger.getLogger(EncryptorProducer.class);

    @Produces
    @Singleton
    @Startup
    Encryptor encryptor(TokenConfig config, Instance<VaultTransitSecretReactiveEngine> transit) {
        return switch (config.vault().kind()) {
            case LOCAL -> {
                LOG.info("Tokens are sealed by the local keyring (AES-256-GCM, HKDF per user)");
                yield LocalKeyring.fromConfig(config.keyring());
            }
            case TRANSIT -> {
                LOG.infof("Tokens are sealed by Vault Transit, derived key %s", config.vault().transit().key());
                yield new TransitEncryptor(transit.get(), config.vault().transit().key());
            }
        };
    }
}
