package io.infershield.auth.service;

/** An admin API request that cannot be served as sent; the message says precisely what is wrong and echoes no input. */
public class InvalidAdminRequest extends RuntimeException {

    public InvalidAdminRequest(String message) {
        super(message, null, false, false);
    }
}
