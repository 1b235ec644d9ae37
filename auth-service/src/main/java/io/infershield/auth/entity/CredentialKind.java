package io.infershield.auth.entity;

/** What a stored credential is for. */
public enum CredentialKind {
    /** An access credential ({@code isk_…}): the only kind that authorizes calls to the gateway. */
    ACCESS,
    /** A refresh token ({@code isr_…}): exchanged once at the token endpoint for a new pair (RFC 6749 §6). */
    REFRESH
}
