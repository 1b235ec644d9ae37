package io.infershield.auth.service;

/**
 * A link request names a provider that is not configured, or a session or link the caller does not own. Both answer
 * 404 alike, so nobody learns whether another user's session exists.
 */
public class UnknownLink extends RuntimeException {

    public UnknownLink(String message) {
        super(message, null, false, false);
    }
}
