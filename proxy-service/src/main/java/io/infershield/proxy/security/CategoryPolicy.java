package io.infershield.proxy.security;

/**
 * The rule for one category: findings scoring at least {@code threshold} (0-100) trigger {@code action}.
 */
public record CategoryPolicy(int threshold, PolicyAction action) {

    public CategoryPolicy {
        if (threshold < 0 || threshold > 100) {
            throw new IllegalArgumentException("threshold out of 0-100: " + threshold);
        }
        if (action == null) {
            throw new IllegalArgumentException("action is required");
        }
    }
}
