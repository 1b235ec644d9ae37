package io.infershield.token.service;

/** The user's link is broken (a refresh failed for good, or the provider rejected it): only linking again helps. */
public class LinkBrokenException extends RuntimeException {

    private final String reason;

    LinkBrokenException(String provider, String reason) {
        super("The link to " + provider + " is broken (" + reason + "); the user must link again", null, false, false);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
