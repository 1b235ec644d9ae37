package io.infershield.proxy.service;

/** The change conflicts with what configuration sets, which the admin API cannot undo. */
public final class PolicyConflictException extends RuntimeException {

    public PolicyConflictException(String message) {
        super(message, null, false, false);
    }
}
