package io.infershield.events;

/**
 * Body of {@code proxy.policy.changed} (version 1), published by proxy-service when an administrator sets or removes
 * the policy of one category for a tenant and group. The envelope's subject is the administrator.
 *
 * @param group             the group the rule applies to, or {@code *} for the tenant's default
 * @param category          {@code prompt_injection}, {@code secret}, {@code pii} or {@code exfiltration}
 * @param threshold         the score from which the action applies, or {@code null} when the rule was removed
 * @param action            {@code allow}, {@code alert}, {@code redact} or {@code block}, or {@code null} when removed
 * @param previousThreshold the threshold before, or {@code null} when there was no rule
 * @param previousAction    the action before, or {@code null} when there was no rule
 */
public record PolicyChanged(String group, String category, Integer threshold, String action, Integer previousThreshold,
        String previousAction) {

    public static final String TYPE = "proxy.policy.changed";
    public static final int VERSION = 1;
}
