package io.infershield.auth.link;

/**
 * An upstream provider answered something this client cannot use. Messages name the offending field and never echo a
 * value from the response, so they can be logged and shown without leaking a device_code or token (checklist B8).
 */
public class InvalidProviderResponse extends RuntimeException {

    public InvalidProviderResponse(String message) {
        super(message);
    }
}
