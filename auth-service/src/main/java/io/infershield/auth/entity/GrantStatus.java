package io.infershield.auth.entity;

/** Where a device grant stands; a grant only ever moves forward, from PENDING to one of the others. */
public enum GrantStatus {
    /** Waiting for the user to approve or deny it on the verification page. */
    PENDING,
    /** Approved by the user; the next poll exchanges it for a credential. */
    APPROVED,
    /** Denied by the user. */
    DENIED,
    /** Exchanged for a credential; the device code cannot be used again. */
    EXCHANGED
}
