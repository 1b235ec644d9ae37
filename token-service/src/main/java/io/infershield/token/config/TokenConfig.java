package io.infershield.token.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.Optional;

/** All settings of token-service, under the prefix {@code token}. */
@ConfigMapping(prefix = "token")
public interface TokenConfig {

    /** The local keyring that encrypts stored keys until Vault Transit takes over. */
    Keyring keyring();

    /** The caller allowed on the internal API (proxy-service). */
    Internal internal();

    /** An org key to store at start, for deployments that mount it as a secret. */
    BootstrapOrgKey bootstrapOrgKey();

    /** Settings of the local keyring. */
    interface Keyring {

        /**
         * Base64 of the 32-byte master key (env {@code TOKEN_KEYRING_MASTER_KEY}), e.g. from {@code openssl rand -base64 32}.
         * Required: it is optional here only so that the keyring can say at start what is missing and how to make it.
         */
        Optional<String> masterKey();
    }

    /** Settings of the internal API's HTTP Basic caller authentication. */
    interface Internal {

        /** The client id the caller presents as the Basic user-id. */
        @WithDefault("proxy-service")
        String clientId();

        /**
         * The shared secret the caller presents as the Basic password (env {@code TOKEN_INTERNAL_CLIENT_SECRET}).
         * At least 16 characters, so that a placeholder left in a manifest does not pass as a secret.
         */
        @Size(min = 16, message = "must be at least 16 characters")
        String clientSecret();
    }

    /** One org key stored (upserted) at every start when {@link #apiKey()} is set. */
    interface BootstrapOrgKey {

        /** The tenant the key belongs to. */
        @WithDefault("default")
        @Pattern(regexp = "[A-Za-z0-9._-]{1,64}")
        String tenant();

        /** The upstream provider the key is for. */
        @WithDefault("openai")
        @Pattern(regexp = "[a-z0-9-]{1,32}")
        String provider();

        /** The provider API key (env {@code TOKEN_BOOTSTRAP_ORG_KEY_API_KEY}); nothing is stored when unset. */
        Optional<@Size(min = 8, max = 4096) @Pattern(regexp = "[\\x21-\\x7E]+") String> apiKey();
    }
}
