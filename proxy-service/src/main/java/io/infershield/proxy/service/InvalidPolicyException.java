package io.infershield.proxy.service;

/** A policy rule or its address is not valid; the message says why in words safe to show any caller. */
public final class InvalidPolicyException extends RuntimeException {

    public InvalidPolicyException(String message) {
        super(message, null, false, false);
    }
}
