package io.infershield.proxy.service;

/** The tenant and group have no rule of their own for the category. */
public final class PolicyNotFoundException extends RuntimeException {

    public PolicyNotFoundException(String message) {
        super(message, null, false, false);
    }
}
