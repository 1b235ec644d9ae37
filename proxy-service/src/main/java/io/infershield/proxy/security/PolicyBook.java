package io.infershield.proxy.security;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Policies per tenant and per group within a tenant, over a default. Resolution is per category, most specific
 * first: group, then tenant, then default, so a group can tighten one category and inherit the rest. Thread-safe;
 * persistence and the admin API sit on top of this (phase 2).
 */
public final class PolicyBook {

    private final Policy fallback;
    private final Map<String, Map<Category, CategoryPolicy>> tenants = new ConcurrentHashMap<>();
    private final Map<String, Map<Category, CategoryPolicy>> groups = new ConcurrentHashMap<>();

    public PolicyBook(Policy fallback) {
        this.fallback = Objects.requireNonNull(fallback);
    }

    /** Sets a tenant-wide rule for one category. */
    public void setTenantRule(String tenant, Category category, CategoryPolicy rule) {
        tenants.computeIfAbsent(tenant, t -> new ConcurrentHashMap<>()).put(category, rule);
    }

    /** Sets a rule for one category and one group of a tenant. */
    public void setGroupRule(String tenant, String group, Category category, CategoryPolicy rule) {
        groups.computeIfAbsent(key(tenant, group), t -> new ConcurrentHashMap<>()).put(category, rule);
    }

    /** Removes a tenant's or group's own rule for a category (group may be null), falling back to the wider one. */
    public void clearRule(String tenant, String group, Category category) {
        Map<Category, CategoryPolicy> m = group == null ? tenants.get(tenant) : groups.get(key(tenant, group));
        if (m != null) {
            m.remove(category);
        }
    }

    /** The effective policy for a caller; {@code group} may be null. */
    public Policy resolve(String tenant, String group) {
        EnumMap<Category, CategoryPolicy> m = new EnumMap<>(fallback.rules());
        Map<Category, CategoryPolicy> t = tenant == null ? null : tenants.get(tenant);
        if (t != null) {
            m.putAll(t);
        }
        Map<Category, CategoryPolicy> g = tenant == null || group == null ? null : groups.get(key(tenant, group));
        if (g != null) {
            m.putAll(g);
        }
        return new Policy(m);
    }

    private static String key(String tenant, String group) {
        return tenant + '\u0000' + group;
    }
}
