package io.infershield.cli.oauth;

/** The device flow ended without a credential; the message is the one line the user sees. */
public class LoginFailedException extends Exception {

    public LoginFailedException(String message) {
        super(message);
    }
}
