package io.infershield.events;

/**
 * Body of every {@code auth.user.*} event (version 1), published by auth-service on {@code auth-events} when an
 * administrator disables or enables a user: the kill switch for a developer who left or lost a laptop. The envelope's
 * subject is the user who was disabled or enabled, never the administrator. A count that does not apply to the type is
 * {@code null}.
 *
 * @param actor                 the administrator who acted (their {@code preferred_username}); for
 *                              {@link #LINKS_REVOKED}, the administrator whose disable asked for the revocation
 * @param reason                the administrator's free-text reason (at most 500 characters), or {@code null}
 * @param credentialsRevoked    {@link #DISABLED}: how many gateway credentials (device access and refresh credentials,
 *                              personal keys) this disable revoked
 * @param deviceGrantsCancelled {@link #DISABLED}: how many device grants the user had claimed or approved and not yet
 *                              exchanged were refused
 * @param linkSessionsCancelled {@link #DISABLED}: how many pending provider-link sessions were cancelled
 * @param linksRevoked          {@link #LINKS_REVOKED}: how many provider links token-service revoked and deleted
 */
public record UserEvent(String actor, String reason, Integer credentialsRevoked, Integer deviceGrantsCancelled,
        Integer linkSessionsCancelled, Integer linksRevoked) {

    public static final int VERSION = 1;

    /**
     * An administrator disabled the user: recorded in the transaction that marked them disabled and revoked their
     * credentials. A repeated disable of a user who already is disabled writes none.
     */
    public static final String DISABLED = "auth.user.disabled";
    /** An administrator enabled a disabled user again; nothing is restored, the user signs in again. */
    public static final String ENABLED = "auth.user.enabled";
    /**
     * token-service confirmed that it revoked the provider links of a disabled user. It follows {@link #DISABLED}, at
     * once or, when token-service was unavailable, once a retry got through.
     */
    public static final String LINKS_REVOKED = "auth.user.links_revoked";

    /** The most characters a reason may have. */
    public static final int REASON_MAX = 500;

    public static UserEvent disabled(String actor, String reason, int credentialsRevoked, int deviceGrantsCancelled,
            int linkSessionsCancelled) {
        return new UserEvent(actor, reason, credentialsRevoked, deviceGrantsCancelled, linkSessionsCancelled, null);
    }

    public static UserEvent enabled(String actor) {
        return new UserEvent(actor, null, null, null, null, null);
    }

    public static UserEvent linksRevoked(String actor, int linksRevoked) {
        return new UserEvent(actor, null, null, null, null, linksRevoked);
    }
}
