package io.infershield.auth.entity;

/** What a stored credential is for. */
public enum CredentialKind {
    /** An access credential ({@code isk_…}): the only kind that authorizes calls to the gateway. */
    ACCESS,
    /** A refresh token ({@code isr_…}): exchanged once at the token endpoint for a new pair (RFC 6749 §6). */
    REFRESH,
    /**
     * A personal key ({@code isk_…}) a user created on the account page for a tool that only takes a static API key;
     * it authorizes gateway calls like an access credential, but lives for days and is never refreshed.
     */
    PERSONAL_KEY;

    /** Whether a live credential of this kind authorizes calls to the gateway (RFC 7662 §2.2 "active"). */
    public boolean authorizesGatewayCalls() {
        return this != REFRESH;
    }
}
