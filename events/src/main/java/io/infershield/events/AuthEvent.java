package io.infershield.events;

import java.util.UUID;

/**
 * Body of every {@code auth.*} event (version 1), published by auth-service on {@code auth-events}. One shape serves
 * all auth types: the envelope's {@code type} says what happened, and a field that does not apply to a type is
 * {@code null}. It names grants and credentials by their ids only, never by a device code, a user code, a credential
 * or a hash of one.
 *
 * @param clientId       the OAuth client the grant or credential belongs to, or {@code null} for a brute-force block
 * @param grantId        the device grant, which also names every credential issued from it through all refreshes
 * @param credentialId   the credential the event is about, or {@code null} when it is about a grant or a family
 * @param credentialKind {@link #ACCESS}, {@link #REFRESH} or {@link #PERSONAL_KEY} when {@code credentialId} is set
 * @param reason         why a credential was revoked, an entry refused or a grant denied ({@code REASON_*}), otherwise
 *                       {@code null}
 * @param requesterIp    the address of the device that asked for a grant, or of the browser that was refused
 */
public record AuthEvent(String clientId, UUID grantId, UUID credentialId, String credentialKind, String reason,
        String requesterIp) {

    public static final int VERSION = 1;

    /** A device asked for a grant (RFC 8628 §3.1); the subject is not known yet. */
    public static final String DEVICE_REQUESTED = "auth.device.requested";
    /** The signed-in subject approved the grant. */
    public static final String DEVICE_APPROVED = "auth.device.approved";
    /** The signed-in subject denied the grant, or (reason {@link #REASON_USER_DISABLED}) an administrator disabled them. */
    public static final String DEVICE_DENIED = "auth.device.denied";
    /** A poll first met the grant expired before it was exchanged (RFC 8628 §3.5 {@code expired_token}). */
    public static final String DEVICE_EXPIRED = "auth.device.expired";
    /** An approved grant was exchanged for an access credential and a refresh token. */
    public static final String CREDENTIAL_ISSUED = "auth.credential.issued";
    /** A refresh token was exchanged for a new pair (RFC 6749 §6). */
    public static final String CREDENTIAL_REFRESHED = "auth.credential.refreshed";
    /** One credential, or a whole family when {@code credentialId} is a refresh token or null, was revoked. */
    public static final String CREDENTIAL_REVOKED = "auth.credential.revoked";
    /** A user code entry was refused because too many had failed (RFC 8628 §5.1). */
    public static final String BRUTEFORCE_BLOCKED = "auth.bruteforce.blocked";

    public static final String ACCESS = "access";
    public static final String REFRESH = "refresh";
    /** A long-lived key a user created for a tool that only takes a static API key; it has no device grant. */
    public static final String PERSONAL_KEY = "personal_key";

    /** The client revoked it (RFC 7009). */
    public static final String REASON_CLIENT_REQUEST = "client_request";
    /** A refresh token was presented a second time, so its family was revoked (RFC 9700 §4.14.2). */
    public static final String REASON_REFRESH_TOKEN_REUSED = "refresh_token_reused";
    /** An administrator revoked every credential of the subject. */
    public static final String REASON_ADMIN = "admin";
    /** The subject revoked their own credential on the account page. */
    public static final String REASON_SELF_SERVICE = "self_service";
    /** The account, address or session used up its failed code entries. */
    public static final String REASON_TOO_MANY_FAILED_ENTRIES = "too_many_failed_entries";
    /**
     * An administrator disabled the subject: their credentials were revoked, and the device grants they had claimed or
     * approved but not yet exchanged were refused ({@link #DEVICE_DENIED} with this reason).
     */
    public static final String REASON_USER_DISABLED = "user_disabled";
}
