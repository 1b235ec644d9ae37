package io.infershield.proxy.security;

/** What the gateway does with a finding at or above its category's threshold, least severe first. */
public enum PolicyAction {
    /** forward unchanged, record nothing beyond metrics */
    ALLOW,
    /** forward unchanged, raise an audit alert */
    ALERT,
    /** replace the span with a typed placeholder, then forward */
    REDACT,
    /** refuse the request with a provider-shaped error */
    BLOCK;

    /** The wire name used by the scan contract and the admin API. */
    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The more severe of the two. */
    public PolicyAction max(PolicyAction other) {
        return other.ordinal() > ordinal() ? other : this;
    }
}
