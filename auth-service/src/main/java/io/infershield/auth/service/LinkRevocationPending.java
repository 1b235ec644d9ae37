package io.infershield.auth.service;

/**
 * A disable took effect in auth-service, but token-service did not confirm the revocation of the user's provider
 * links. The revocation is owed, recorded in the database and retried; the answer says so (503), with the state.
 */
public class LinkRevocationPending extends RuntimeException {

    /** The stable code the problem carries in its {@code error} member. */
    public static final String CODE = "link_revocation_pending";

    private final transient UserAdministration.Disabled state;

    public LinkRevocationPending(UserAdministration.Disabled state) {
        super("The user is disabled and their gateway credentials are revoked, but token-service did not confirm the"
                + " revocation of their provider links. It is retried automatically; disabling again retries it now.",
                null, false, false);
        this.state = state;
    }

    /** What the disable did; {@code linksRevoked} is null. */
    public UserAdministration.Disabled state() {
        return state;
    }
}
