package io.infershield.audit.rest;

/** A request parameter that is malformed or out of range; answered with 400. The message is shown to the caller. */
public class InvalidParameterException extends RuntimeException {

    public InvalidParameterException(String message) {
        super(message, null, false, false);
    }
}
