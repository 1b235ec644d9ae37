package io.infershield.auth.entity;

/**
 * Where a device grant stands. A grant only ever moves forward: PENDING to APPROVED, DENIED or EXPIRED, and APPROVED
 * to EXCHANGED or EXPIRED.
 */
public enum GrantStatus {
    /** Waiting for the user to approve or deny it on the verification page. */
    PENDING,
    /** Approved by the user; the next poll exchanges it for a credential. */
    APPROVED,
    /** Denied by the user. */
    DENIED,
    /** Exchanged for a credential; the device code cannot be used again. */
    EXCHANGED,
    /** Found expired by a poll before it was exchanged; recorded so that the expiry is reported once. */
    EXPIRED
}
