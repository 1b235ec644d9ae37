package io.infershield.auth.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The auth-service configuration, under the prefix {@code auth}. */
@ConfigMapping(prefix = "auth")
public interface AuthConfig {

    /**
     * The base URL under which users and clients reach this service, without a trailing slash. It is the issuer
     * (RFC 8414 §2) and the base of the verification URI shown to users (RFC 8628 §3.2).
     */
    @WithDefault("http://127.0.0.1:8081")
    String publicUrl();

    /** The tenant this deployment serves; it is stored with every gateway credential (env {@code AUTH_TENANT}). */
    @WithDefault("default")
    String tenant();

    /** The registered device-flow clients, keyed by {@code client_id}. */
    Map<String, Client> clients();

    /** How long a device code and its user code stay valid ({@code expires_in}, RFC 8628 §3.2). */
    @WithDefault("PT10M")
    Duration deviceCodeLifetime();

    /** The minimum time a client must wait between polls ({@code interval}, RFC 8628 §3.2). */
    @WithDefault("PT5S")
    Duration pollInterval();

    /** How long an issued access credential ({@code isk_…}) stays valid; a refresh token renews it. */
    @WithDefault("PT1H")
    Duration accessTokenLifetime();

    /** How long a refresh token ({@code isr_…}) stays valid; each refresh issues a new one for this long again. */
    @WithDefault("P30D")
    Duration refreshTokenLifetime();

    /** The one caller allowed to introspect credentials (RFC 7662 §2.1). */
    Introspection introspection();

    /** Limits on failed code entries at the verification page (RFC 8628 §5.1). */
    FailedEntries failedEntries();

    /** The transactional outbox that carries auth-events to Kafka. */
    Outbox outbox();

    /** Personal keys that users create on the account page for tools that only take a static API key. */
    PersonalKey personalKey();

    /** Linking developers' upstream accounts: auth-service as an RFC 8628 client of GitHub, OpenAI and other IdPs. */
    Link link();

    /** Disabling a user: how the revocation of their provider links in token-service is asked for and retried. */
    Disable disable();

    /**
     * The revocation of a disabled user's provider links. The disable itself never depends on token-service; what
     * token-service has not confirmed is kept in the database and retried until it has.
     */
    interface Disable {

        /** How many times the disable asks token-service while the administrator waits, the first call included. */
        @WithDefault("3")
        int linkRevocationAttempts();

        /** The pause before the second of those attempts; it doubles before each further one. */
        @WithDefault("PT0.5S")
        Duration linkRevocationBackoff();

        /** The longest the administrator waits for token-service, retries included, before the answer says pending. */
        @WithDefault("PT15S")
        Duration linkRevocationTimeout();

        /**
         * How often each replica looks for revocations still owed, and the wait after a first failed attempt; the
         * wait doubles after every further failure, up to {@link #maxBackoff()}.
         */
        @WithDefault("PT30S")
        Duration retryInterval();

        /** The longest wait between two attempts at an owed revocation. */
        @WithDefault("PT15M")
        Duration maxBackoff();
    }

    /** Limits of personal keys. */
    interface PersonalKey {

        /** The longest lifetime a user may give a personal key; longer requests are refused. */
        @WithDefault("P90D")
        Duration maxLifetime();

        /** The lifetime the account page offers unless the user picks another. */
        @WithDefault("P30D")
        Duration defaultLifetime();

        /** The scope a personal key carries, as introspection reports it (RFC 7662 §2.2). */
        @WithDefault("gateway")
        String scope();
    }

    /** A registered public client of the device flow. */
    interface Client {

        /** The scopes the client may request; also what it gets when it asks for none (RFC 6749 §3.3). */
        List<String> scopes();

        /**
         * The grant types the client may use at the token endpoint (RFC 7591 §2 {@code grant_types}); any other gets
         * unauthorized_client (RFC 6749 §5.2). The device authorization endpoint needs the device code grant.
         */
        @WithDefault("urn:ietf:params:oauth:grant-type:device_code,refresh_token")
        List<String> grantTypes();
    }

    /** How many failed code entries an account, a client IP or a session may make per window. */
    interface FailedEntries {

        /** Failed entries allowed per key and window; every entry after that is refused until the window ends. */
        @WithDefault("5")
        int max();

        /** The length of the fixed window, which starts at a key's first failed entry. */
        @WithDefault("PT15M")
        Duration window();
    }

    /** How the relay moves events from the outbox table to Kafka. */
    interface Outbox {

        /** How often the relay looks for unpublished events; events wait at most about this long after commit. */
        @WithDefault("PT1S")
        Duration pollInterval();

        /**
         * How long the relay waits for the broker to acknowledge one event before it leaves the rest of its batch to
         * the next run.
         */
        @WithDefault("PT10S")
        Duration sendTimeout();
    }

    /** Credentials of the introspection caller (proxy-service), checked with HTTP Basic. */
    interface Introspection {

        /** The client id the caller presents. */
        @WithDefault("proxy-service")
        String clientId();

        /** The shared secret the caller presents (env {@code AUTH_INTROSPECTION_CLIENT_SECRET}). */
        String clientSecret();
    }

    /** How link sessions are run, stored and resumed. */
    interface Link {

        /**
         * The AES-256-GCM key that encrypts the upstream device code of each stored link session: 32 bytes, base64
         * (env {@code AUTH_LINK_STATE_KEY}). Required; only the dev and test profiles carry a value.
         */
        String stateKey();

        /** The upstream providers a developer may link, by the name used in {@code /v1/links/{provider}}. */
        Map<String, LinkProvider> providers();

        /**
         * The ceiling of the doubling back-off after an upstream 5xx or connection failure (checklist B5); a poll
         * never comes sooner than the provider's interval.
         */
        @WithDefault("PT60S")
        Duration maxBackoff();

        /** How long one upstream request may take before it counts as a connection failure. */
        @WithDefault("PT30S")
        Duration requestTimeout();

        /**
         * How long a replica's claim on a pending session lasts. Another replica resumes the session only after the
         * claim has lapsed, so exactly one replica polls it.
         */
        @WithDefault("PT2M")
        Duration lease();

        /**
         * How often a replica renews its claims, stops flows whose session was ended elsewhere, and resumes pending
         * sessions whose claim lapsed (a replica that died); must be well below {@link #lease()}.
         */
        @WithDefault("PT30S")
        Duration resumeInterval();
    }

    /**
     * One upstream provider. Every URL and id has a default for its {@link #kind()} that points at the real host;
     * the local stack and the tests point them at simulators and at Keycloak.
     */
    interface LinkProvider {

        /** The protocol dialect: {@code github}, {@code openai-codex} or {@code rfc8628}. */
        LinkProviderKind kind();

        /**
         * The OAuth client id. Defaults: github {@code Iv1.b507a08c87ecfe98} (Copilot's editor plugins),
         * openai-codex {@code app_EMoamEEZ73f0CkXaXp7hrann} (Codex CLI); required for rfc8628.
         */
        Optional<String> clientId();

        /** The client secret of a confidential rfc8628 client; public clients (the default) send only the id. */
        Optional<String> clientSecret();

        /**
         * How an rfc8628 client with a secret authenticates (RFC 6749 §2.3.1): {@code client_secret_basic} (default)
         * or {@code client_secret_post}.
         */
        @WithDefault("client_secret_basic")
        String clientAuthMethod();

        /** The scope to request. Default for github: {@code read:user}; rfc8628 sends none unless set. */
        Optional<String> scope();

        /**
         * The device authorization endpoint (RFC 8628 §3.1). Default for github:
         * {@code https://github.com/login/device/code}; rfc8628 takes it from {@link #discoveryUrl()} unless set.
         */
        Optional<String> deviceAuthorizationUrl();

        /**
         * The token endpoint. Defaults: github {@code https://github.com/login/oauth/access_token}, openai-codex
         * {@code https://auth.openai.com/oauth/token} (the authorization-code exchange); rfc8628 takes it from
         * {@link #discoveryUrl()} unless set.
         */
        Optional<String> tokenUrl();

        /**
         * An RFC 8414 or OpenID Connect discovery document that names {@code device_authorization_endpoint} and
         * {@code token_endpoint} (rfc8628 only).
         */
        Optional<String> discoveryUrl();

        /** openai-codex: where the user code is requested. Default {@code https://auth.openai.com/api/accounts/deviceauth/usercode}. */
        Optional<String> userCodeUrl();

        /** openai-codex: where the approval is polled. Default {@code https://auth.openai.com/api/accounts/deviceauth/token}. */
        Optional<String> deviceTokenUrl();

        /** openai-codex: the page the developer opens to enter the code. Default {@code https://auth.openai.com/codex/device}. */
        Optional<String> verificationUrl();

        /** openai-codex: the redirect_uri of the code exchange. Default {@code https://auth.openai.com/deviceauth/callback}. */
        Optional<String> redirectUri();

        /**
         * openai-codex: how long to poll before giving up, since the provider states no lifetime and forgets the
         * request afterwards. Default 15 minutes.
         */
        Optional<Duration> giveUpAfter();

        /** Extra request headers (for example {@code User-Agent}) sent on every request to this provider. */
        Map<String, String> headers();
    }

    /** The protocol dialects a provider can speak. */
    enum LinkProviderKind {
        /** RFC 8628 with GitHub's quirks: errors with HTTP 200, form-encoded answers, comma-separated scopes. */
        GITHUB,
        /** OpenAI's Codex sign-in: a device user code, then an authorization-code exchange with a PKCE verifier. */
        OPENAI_CODEX,
        /** Any standard RFC 8628 authorization server. */
        RFC8628
    }
}
