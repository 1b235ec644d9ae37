package io.infershield.token.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** All settings of token-service, under the prefix {@code token}. */
@ConfigMapping(prefix = "token")
public interface TokenConfig {

    /** Which encryption backend seals tokens at rest. */
    Vault vault();

    /** The local keyring, used when {@code token.vault.kind=local}. */
    Keyring keyring();

    /** Upstream providers whose user links this service keeps, by name (the name appears in paths and events). */
    Map<String, Provider> providers();

    /** When and how linked tokens are refreshed. */
    Refresh refresh();

    /** Re-encryption of stored ciphertexts under the current key version. */
    Rotation rotation();

    /** The relay that moves token-events from the outbox table to Kafka. */
    Outbox outbox();

    /**
     * Org keys to store at start, keyed by provider, for deployments that mount them as secrets: env
     * {@code TOKEN_BOOTSTRAP_ORG_KEYS_<PROVIDER>_API_KEY} (and {@code …_TENANT}), e.g.
     * {@code TOKEN_BOOTSTRAP_ORG_KEYS_OPENAI_API_KEY} and {@code TOKEN_BOOTSTRAP_ORG_KEYS_ANTHROPIC_API_KEY}.
     */
    Map<@Pattern(regexp = "[a-z0-9-]{1,32}") String, BootstrapOrgKey> bootstrapOrgKeys();

    /**
     * One org key with its provider named beside it (env {@code TOKEN_BOOTSTRAP_ORG_KEY_API_KEY}, {@code …_PROVIDER},
     * {@code …_TENANT}): the single-key form, kept so that deployments which set it go on working.
     */
    NamedBootstrapOrgKey bootstrapOrgKey();

    /** The encryption backend. */
    enum VaultKind {
        /** AES-256-GCM with keys derived from a master key in the environment ({@link Keyring}). */
        LOCAL,
        /** HashiCorp Vault Transit through the Quarkus Vault extension ({@code quarkus.vault.*}). */
        TRANSIT
    }

    /** Settings of the encryption backend. */
    interface Vault {

        /** {@code local} (env {@code TOKEN_VAULT_KIND}) or {@code transit}; the local stack and tests use local. */
        @WithDefault("local")
        VaultKind kind();

        /** Vault Transit settings, read when {@link #kind()} is {@code transit}. */
        Transit transit();

        /** Settings of Vault Transit. */
        interface Transit {

            /**
             * The Transit key (env {@code TOKEN_VAULT_TRANSIT_KEY}). It must be a derived key: every ciphertext is
             * bound to a context of tenant, user and provider. Created with {@code derived=true} when missing.
             */
            @WithDefault("infershield-token")
            @Pattern(regexp = "[A-Za-z0-9_-]{1,64}")
            String key();
        }
    }

    /** Settings of the local keyring. */
    interface Keyring {

        /**
         * Base64 of the current 32-byte master key (env {@code TOKEN_KEYRING_MASTER_KEY}), e.g. from
         * {@code openssl rand -base64 32}. Required with the local keyring: it is optional here only so that the
         * keyring can say at start what is missing and how to make it.
         */
        Optional<String> masterKey();

        /** The version name of {@link #masterKey()} (env {@code TOKEN_KEYRING_MASTER_KEY_VERSION}); new writes carry it. */
        @WithDefault("v1")
        @Pattern(regexp = "v[0-9]{1,6}")
        String masterKeyVersion();

        /**
         * Earlier master keys that still open old rows until rotation has re-encrypted them, as
         * {@code <version>:<base64>} items (env {@code TOKEN_KEYRING_RETIRED_KEYS}, comma-separated).
         */
        Optional<List<String>> retiredKeys();
    }

    /** The kind of an upstream provider: how its tokens are refreshed and revoked. */
    enum ProviderKind {
        /** A GitHub OAuth token, exchanged for short-lived Copilot tokens. */
        GITHUB,
        /** OpenAI's Codex sign-in: refresh by the {@code refresh_token} grant with a rotating refresh token. */
        OPENAI_CODEX,
        /** Any standard OAuth 2.0 / RFC 8628 IdP: refresh grant (RFC 6749 §6), revocation (RFC 7009). */
        RFC8628
    }

    /** One upstream provider. URLs default to the real hosts; the local stack and tests point them at simulators. */
    interface Provider {

        /** {@code github}, {@code openai-codex} or {@code rfc8628}. */
        ProviderKind kind();

        /** The token endpoint for the {@code refresh_token} grant (RFC 6749 §6); not used by {@code github}. */
        Optional<String> tokenUrl();

        /** The OAuth client id sent with refresh and revocation requests. */
        Optional<String> clientId();

        /** The client secret, for confidential clients (RFC 6749 §2.3.1, sent with HTTP Basic). */
        Optional<String> clientSecret();

        /** The RFC 7009 revocation endpoint; links are revoked there when deleted. */
        Optional<String> revocationUrl();

        /** Where the upstream API lives for tokens of this provider; {@code github} takes it from the Copilot token. */
        Optional<String> apiBase();

        /** The Copilot token endpoint ({@code github} only), called with {@code Authorization: token <github token>}. */
        @WithDefault("https://api.github.com/copilot_internal/v2/token")
        String copilotTokenUrl();

        /** Editor headers the Copilot token endpoint expects from an editor plugin ({@code github} only). */
        EditorHeaders editor();
    }

    /** The headers a Copilot editor plugin sends. */
    interface EditorHeaders {

        /** {@code User-Agent}. */
        @WithDefault("GithubCopilot/1.155.0")
        String userAgent();

        /** {@code Editor-Version}. */
        @WithDefault("vscode/1.95.0")
        String editorVersion();

        /** {@code Editor-Plugin-Version}. */
        @WithDefault("copilot/1.155.0")
        String editorPluginVersion();
    }

    /** Refresh policy. */
    interface Refresh {

        /** A token is refreshed this long before it expires. */
        @WithDefault("PT5M")
        Duration skew();

        /** The scheduler refreshes up to this much earlier still, at random, so that replicas and links spread out. */
        @WithDefault("PT1M")
        Duration jitter();

        /** How often the refresh scheduler looks for links that are due. */
        @WithDefault("PT30S")
        Duration scanInterval();

        /** Most links refreshed per scan. */
        @WithDefault("50")
        int scanBatch();

        /** Attempts of one upstream call on a transient failure (5xx, 429, connection), the first included. */
        @WithDefault("3")
        int attempts();

        /** The first back-off between attempts; it doubles each time. */
        @WithDefault("PT1S")
        Duration backoff();

        /** Timeout of one upstream request. */
        @WithDefault("PT10S")
        Duration timeout();
    }

    /** Key rotation policy. */
    interface Rotation {

        /** How often rows sealed under an older key version are re-encrypted (or rewrapped by Transit). */
        @WithDefault("PT1H")
        Duration interval();

        /** Most rows re-encrypted per table and run. */
        @WithDefault("100")
        int batch();
    }

    /** Outbox relay settings. */
    interface Outbox {

        /** How often the relay looks for unpublished events. */
        @WithDefault("PT1S")
        Duration pollInterval();

        /** How long the relay waits for the broker's acknowledgement of one event. */
        @WithDefault("PT10S")
        Duration sendTimeout();
    }

    /** An org key stored (upserted) at every start when {@link #apiKey()} is set. */
    interface BootstrapOrgKey {

        /** The tenant the key belongs to. */
        @WithDefault("default")
        @Pattern(regexp = "[A-Za-z0-9._-]{1,64}")
        String tenant();

        /** The provider API key, from a secret; nothing is stored when unset, so a manifest may mount it optionally. */
        Optional<@Size(min = 8, max = 4096) @Pattern(regexp = "[\\x21-\\x7E]+") String> apiKey();
    }

    /** The single-key form of {@link BootstrapOrgKey}, whose provider is a setting rather than the map key. */
    interface NamedBootstrapOrgKey extends BootstrapOrgKey {

        /** The upstream provider the key is for. */
        @WithDefault("openai")
        @Pattern(regexp = "[a-z0-9-]{1,32}")
        String provider();
    }
}
