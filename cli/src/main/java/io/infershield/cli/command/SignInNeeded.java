package io.infershield.cli.command;

/** The stored sign-in cannot be used (missing, expired beyond renewal, refused): only {@code infershield login} helps. */
final class SignInNeeded extends Exception {

    /** @param message the whole line the user sees, ending with what to run */
    SignInNeeded(String message) {
        super(message, null, false, false);
    }

    static SignInNeeded notSignedIn() {
        return new SignInNeeded("Not signed in. Run `infershield login` first.");
    }

    /** The server answered 401 to the access credential (RFC 6750 §3.1 invalid_token). */
    static SignInNeeded refused() {
        return new SignInNeeded("The server no longer accepts your sign-in. Run `infershield login` again.");
    }
}
