package io.infershield.proxy.config;

import io.infershield.proxy.service.Api;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

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

    /** The upstream an OpenAI-API request goes to when its model names no other upstream's prefix. */
    @WithDefault("openai")
    String defaultUpstream();

    /**
     * The upstream an Anthropic-API request ({@code /v1/messages}) goes to when its model names no other Anthropic
     * upstream's prefix. When no upstream of that name is configured, those routes answer 404.
     */
    @WithDefault("anthropic")
    String defaultAnthropicUpstream();

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

    /** The security layer on the request path (docs/security-layer.md). */
    Security security();

    /** The outbox that carries proxy-events to Kafka (docs/events.md). */
    Outbox outbox();

    /** Per-developer request rates and token budgets (security checklist D3). */
    Limits limits();

    /**
     * How much one developer (tenant and subject) may use the gateway.
     *
     * <p>Requests: a token bucket of {@code requests-per-minute} requests, refilled evenly over the minute, so a burst of
     * that size is served and then one request every {@code 60 s / requests-per-minute}. Each replica keeps its own
     * buckets: with N replicas behind a round-robin Route, a developer gets up to N times the limit, so set it per
     * replica.
     *
     * <p>Tokens: {@code tokens-per-day} input and output tokens a UTC day, as the upstreams report them, counted in
     * the database and so across all replicas (docs/architecture.md, "Limits").
     */
    interface Limits {
        /** Requests per minute per developer; 0 turns the limit off. */
        @WithDefault("600")
        int requestsPerMinute();

        /**
         * Input plus output tokens per developer and UTC day; 0 means no budget. Once a developer's day has reached it,
         * requests that cost tokens are refused until the next UTC midnight.
         */
        @WithDefault("0")
        long tokensPerDay();

        /**
         * How long each developer's daily token counts are kept, for reporting; older days are deleted. At least a
         * day: today's count is what the budget reads.
         */
        @WithDefault("P31D")
        Duration usageRetention();

        /** Overrides by tenant; what a tenant does not override is the default above. */
        Map<String, Tenant> tenants();

        interface Tenant {
            /** Overrides {@link Limits#requestsPerMinute()}. */
            OptionalInt requestsPerMinute();

            /** Overrides {@link Limits#tokensPerDay()}; 0 exempts the tenant from a default budget. */
            OptionalLong tokensPerDay();
        }
    }

    /** How the relay moves events from the outbox table to Kafka, and how long published ones are kept. */
    interface Outbox {

        /** How often the relay looks for unpublished events; an event reaches Kafka about this long after it is written. */
        @WithDefault("PT1S")
        Duration pollInterval();

        /**
         * How long the relay waits for the broker to acknowledge an event before it leaves it, and the events after it,
         * to a later run.
         */
        @WithDefault("PT10S")
        Duration sendTimeout();

        /** How long published events stay in the table, to trace what was sent; older ones are deleted. */
        @WithDefault("P1D")
        Duration retention();

        /** How often published events older than {@link #retention()} are deleted. */
        @WithDefault("PT10M")
        Duration cleanupInterval();
    }

    /** Scanning of prompts and completions, and the policies applied to what is found. */
    interface Security {
        /** Scan requests and responses and apply policy; when false, traffic is relayed unscanned. */
        @WithDefault("true")
        boolean enabled();

        /** Hosts a response may link to or embed images from without an exfiltration finding, e.g. {@code github.com}. */
        Optional<Set<String>> trustedHosts();

        /**
         * Key of the HMAC-SHA256 that turns a matched secret into the 16-hex-digit hash of an audit finding, so that
         * the same secret can be followed across events without being recoverable from them. At least 16 chars; from
         * {@code PROXY_AUDIT_HASH_KEY}, required in production.
         */
        String auditHashKey();

        /** How often each replica reloads the policies, so that a change made on another replica is picked up. */
        @WithDefault("PT30S")
        Duration policyRefresh();

        /**
         * Chars of a streamed answer kept and re-scanned with each delta, so that a secret split across chunks is seen
         * whole before any of it leaves: the detectors' context. Text itself leaves 64 chars and the token still
         * arriving behind the model; only a token longer than this is released before its end.
         */
        @WithDefault("1024")
        int streamLookBack();

        /**
         * Tool pinning per tenant ({@code ToolAllowList}): the tools its developers' requests may offer the model. A
         * tenant without an entry here may offer any tool, unless an administrator pins it through the admin API,
         * which adds to these entries and may replace this mode.
         */
        Map<String, ToolPinning> toolPinning();

        interface ToolPinning {
            /**
             * Entries {@code name} (any definition of that tool) or {@code name@sha256:<hex>} (exactly that definition);
             * none approves nothing, which in {@code audit} mode records every tool offered.
             */
            Optional<List<String>> allow();

            /**
             * {@code enforce}: a request offering another tool is refused with 403 {@code tool_not_approved}, naming the
             * tool and its digest. {@code audit}: it is forwarded, and each such tool is recorded as an alert in its
             * audit event, to learn what a team uses before enforcing.
             */
            @WithDefault("enforce")
            Mode mode();

            enum Mode {
                ENFORCE, AUDIT
            }
        }
    }

    /** One upstream API and the credential that opens it. */
    interface Upstream {
        /**
         * Base URL including the API version path, for example {@code https://api.openai.com/v1}. Absent when the
         * credential names its own base, as a Copilot token does with {@code endpoints.api}.
         */
        Optional<String> url();

        /** The token-service provider whose credential (the caller's own link, else the tenant's org key) is used. */
        String provider();

        /** The API this upstream speaks: {@code openai} (chat completions) or {@code anthropic} (Messages). */
        @WithDefault("openai")
        Api api();

        /**
         * The header an organisation key is sent in instead of {@code Authorization: Bearer}, for example Anthropic's
         * {@code x-api-key}. A developer's own linked token is an OAuth token and always goes as a bearer token.
         */
        Optional<String> keyHeader();

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
