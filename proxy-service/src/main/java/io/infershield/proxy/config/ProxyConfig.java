package io.infershield.proxy.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The one configuration of proxy-service. URLs of auth-service and token-service live under {@code quarkus.rest-client};
 * the client-credentials login to token-service lives under {@code quarkus.oidc-client}.
 */
@ConfigMapping(prefix = "proxy")
public interface ProxyConfig {

    /** Tenant recorded on events about requests whose caller could not be identified. */
    @WithDefault("default")
    String defaultTenant();

    /** Largest request body accepted, in bytes; larger bodies get 413 before anything is parsed or forwarded. */
    @WithDefault("4194304")
    int maxBodyBytes();

    /** The upstream a request goes to when its model names no other upstream's prefix. */
    @WithDefault("openai")
    String defaultUpstream();

    /** The upstreams, by name. */
    Map<String, Upstream> upstreams();

    /** Time allowed to open a connection to an upstream. */
    @WithDefault("PT5S")
    Duration connectTimeout();

    /** Longest silence tolerated from an upstream, before the first byte and between streamed chunks. */
    @WithDefault("PT120S")
    Duration idleTimeout();

    /** How proxy-service authenticates to auth-service's introspection endpoint (RFC 7662 §2.1). */
    Caller auth();

    /** One upstream API and the credential that opens it. */
    interface Upstream {
        /**
         * Base URL including the API version path, for example {@code https://api.openai.com/v1}. Absent when the
         * credential names its own base, as a Copilot token does with {@code endpoints.api}.
         */
        Optional<String> url();

        /** The token-service provider whose credential (the caller's own link, else the tenant's org key) is used. */
        String provider();

        /**
         * A model name prefix that routes to this upstream, for example {@code copilot/}: the IDE asks for
         * {@code copilot/gpt-4o} and the upstream receives {@code gpt-4o}.
         */
        Optional<String> modelPrefix();

        /** Fixed headers the upstream requires, for example Copilot's {@code editor-version}. */
        Map<String, String> headers();

        /**
         * A header that tells the upstream whether the developer ({@code user}) or a tool loop ({@code agent}) sent the
         * turn, from the role of the last message; Copilot bills the two differently ({@code X-Initiator}).
         */
        Optional<String> initiatorHeader();
    }

    interface Caller {
        /** This service's client id at the callee. */
        @WithDefault("proxy-service")
        String clientId();

        /** The shared secret; only ever from the environment or a mounted secret. */
        String clientSecret();
    }
}
