package io.infershield.auth.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Map;

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
}
