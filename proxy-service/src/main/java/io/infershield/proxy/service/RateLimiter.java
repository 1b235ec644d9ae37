package io.infershield.proxy.service;

import io.infershield.proxy.config.ProxyConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-developer request rate: one token bucket per (tenant, subject), holding up to {@code requests-per-minute}
 * requests and refilled continuously at that rate (see {@link ProxyConfig.Limits}). Buckets live in memory on each
 * replica; a bucket that has refilled completely holds no information, so such buckets are dropped when the map grows.
 */
@ApplicationScoped
public class RateLimiter {

    /** Above this many developers tracked, full buckets are dropped before a new one is added. */
    static final int PRUNE_ABOVE = 10_000;

    private final ProxyConfig.Limits config;
    private final Clock clock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    RateLimiter(ProxyConfig config, Clock clock) {
        this.config = config.limits();
        this.clock = clock;
    }

    /** Capacity and refill of one bucket, in requests and requests per millisecond. */
    private static final class Bucket {
        private final int capacity;
        private double tokens;
        private long updated;

        Bucket(int capacity, long now) {
            this.capacity = capacity;
            this.tokens = capacity;
            this.updated = now;
        }

        /** Takes one request; when none is left, answers the millis until one is. */
        synchronized long take(long now) {
            refill(now);
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return (long) Math.ceil((1 - tokens) / perMilli());
        }

        synchronized boolean full(long now) {
            refill(now);
            return tokens >= capacity;
        }

        private void refill(long now) {
            tokens = Math.min(capacity, tokens + Math.max(0, now - updated) * perMilli());
            updated = now;
        }

        private double perMilli() {
            return capacity / 60_000.0;
        }
    }

    /**
     * Counts one request of {@code subject} in {@code tenant}. Empty when it may go ahead; otherwise the seconds to
     * wait before the next one will (at least 1), for {@code Retry-After}.
     */
    public OptionalLong acquire(String tenant, String subject) {
        ProxyConfig.Limits.Tenant override = config.tenants().get(tenant);
        int limit = override != null ? override.requestsPerMinute().orElse(config.requestsPerMinute())
                : config.requestsPerMinute();
        if (limit <= 0) {
            return OptionalLong.empty();
        }
        long now = clock.millis();
        String key = tenant + '\u0000' + subject;
        if (buckets.size() > PRUNE_ABOVE && !buckets.containsKey(key)) {
            buckets.values().removeIf(b -> b.full(now));
        }
        long wait = buckets.computeIfAbsent(key, k -> new Bucket(limit, now)).take(now);
        return wait == 0 ? OptionalLong.empty() : OptionalLong.of(Math.max(1, (wait + 999) / 1000));
    }
}
