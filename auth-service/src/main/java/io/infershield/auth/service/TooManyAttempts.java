package io.infershield.auth.service;

/** A code entry refused because one of its keys used up its failed entries for the window (RFC 8628 §5.1). */
public class TooManyAttempts extends RuntimeException {

    public TooManyAttempts() {
        super("Too many failed code entries.", null, false, false);
    }
}
