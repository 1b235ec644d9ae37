package io.infershield.proxy.service;

import io.infershield.events.ProxyRequestCompleted;
import io.infershield.events.SecurityFinding;
import io.infershield.events.TokenUsage;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * What the gateway did, as Prometheus counters for the SRE's dashboards and alerts, from the same record as the audit
 * event: requests by endpoint, status, decision and error code (a surge of {@code blocked_by_policy},
 * {@code rate_limit_exceeded} or {@code insufficient_quota} shows here first), findings by category, type and action,
 * and tokens by endpoint and kind. No tag carries a tenant, a developer or a model, which would grow without bound.
 */
@ApplicationScoped
public class GatewayMetrics {

    static final String REQUESTS = "infershield.gateway.requests";
    static final String FINDINGS = "infershield.gateway.findings";
    static final String TOKENS = "infershield.gateway.tokens";

    private final MeterRegistry registry;

    GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void completed(ProxyRequestCompleted request) {
        registry.counter(REQUESTS, "endpoint", request.endpoint(), "status", Integer.toString(request.status()),
                "decision", orNone(request.decision()), "error", orNone(request.errorCode())).increment();
        for (SecurityFinding f : request.findings()) {
            registry.counter(FINDINGS, "category", f.category(), "type", f.type(), "direction", f.direction(),
                    "action", f.action()).increment();
        }
        TokenUsage usage = request.usage();
        if (usage != null) {
            String estimated = Boolean.toString(usage.estimated());
            registry.counter(TOKENS, "endpoint", request.endpoint(), "kind", "input", "estimated", estimated)
                    .increment(usage.inputTokens());
            registry.counter(TOKENS, "endpoint", request.endpoint(), "kind", "output", "estimated", estimated)
                    .increment(usage.outputTokens());
        }
    }

    private static String orNone(String value) {
        return value == null ? "none" : value;
    }
}
