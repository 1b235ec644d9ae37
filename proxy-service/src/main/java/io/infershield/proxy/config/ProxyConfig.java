package io.infershield.proxy.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** The one configuration of proxy-service. URLs of auth-service and token-service live under {@code quarkus.rest-client}. */
@ConfigMapping(prefix = "proxy")
public interface ProxyConfig {

    /** Tenant recorded on events about requests whose caller could not be identified. */
    @WithDefault("default")
    String defaultTenant();

    /** Largest request body accepted, in bytes; larger bodies get 413 before anything is parsed or forwarded. */
    @WithDefault("4194304")
    int maxBodyBytes();

    /** The upstream providers. */
    Upstream upstream();

    /** How proxy-service authenticates to auth-service's introspection endpoint (RFC 7662 §2.1). */
    Caller auth();

    /** How proxy-service authenticates to token-service's internal API. */
    Caller token();

    interface Upstream {
        /** The OpenAI-compatible upstream. */
        Endpoint openai();

        /** Time allowed to open a connection to an upstream. */
        @WithDefault("PT5S")
        Duration connectTimeout();

        /** Longest silence tolerated from an upstream, before the first byte and between streamed chunks. */
        @WithDefault("PT120S")
        Duration idleTimeout();
    }

    interface Endpoint {
        /** Base URL including the API version path, for example {@code https://api.openai.com/v1}. */
        @WithDefault("https://api.openai.com/v1")
        String url();
    }

    interface Caller {
        /** This service's client id at the callee. */
        @WithDefault("proxy-service")
        String clientId();

        /** The shared secret; only ever from the environment or a mounted secret. */
        String clientSecret();
    }
}
