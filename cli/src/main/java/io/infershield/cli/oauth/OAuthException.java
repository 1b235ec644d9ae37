package io.infershield.cli.oauth;

/**
 * The server answered, but not with what the flow needed: an RFC 6749 §5.2 / RFC 8628 §3.5 error, or an unexpected
 * status or body. The message is fit for the user; it never carries a device code or credential.
 */
public class OAuthException extends Exception {

    private final String error;

    public OAuthException(String error, String message) {
        super(message);
        this.error = error;
    }

    /** The RFC {@code error} code, or {@code null} when the server did not send one. */
    public String error() {
        return error;
    }
}
