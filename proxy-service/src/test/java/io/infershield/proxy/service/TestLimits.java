package io.infershield.proxy.service;

import io.infershield.proxy.config.ProxyConfig;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;

/** {@link ProxyConfig.Limits} for unit tests: the rest of the configuration is absent. */
final class TestLimits {

    /** How long {@link #config} keeps daily token counts. */
    static final Duration RETENTION = Duration.ofDays(31);

    private TestLimits() {
    }

    static ProxyConfig config(int requestsPerMinute, long tokensPerDay, Map<String, ProxyConfig.Limits.Tenant> tenants) {
        ProxyConfig.Limits limits = new ProxyConfig.Limits() {
            @Override
            public int requestsPerMinute() {
                return requestsPerMinute;
            }

            @Override
            public long tokensPerDay() {
                return tokensPerDay;
            }

            @Override
            public Duration usageRetention() {
                return RETENTION;
            }

            @Override
            public Map<String, Tenant> tenants() {
                return tenants;
            }
        };
        return (ProxyConfig) Proxy.newProxyInstance(TestLimits.class.getClassLoader(),
                new Class<?>[] {ProxyConfig.class}, (p, m, a) -> m.getName().equals("limits") ? limits : null);
    }

    static ProxyConfig.Limits.Tenant tenant(OptionalInt requestsPerMinute, OptionalLong tokensPerDay) {
        return new ProxyConfig.Limits.Tenant() {
            @Override
            public OptionalInt requestsPerMinute() {
                return requestsPerMinute;
            }

            @Override
            public OptionalLong tokensPerDay() {
                return tokensPerDay;
            }
        };
    }
}
