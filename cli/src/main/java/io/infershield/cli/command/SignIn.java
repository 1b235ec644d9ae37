package io.infershield.cli.command;

import io.infershield.cli.config.CliContext;
import io.infershield.cli.oauth.AccessToken;
import io.infershield.cli.oauth.OAuthException;
import io.infershield.cli.oauth.ServerUnreachableException;
import io.infershield.cli.store.StoredLogin;

import java.io.IOException;
import java.time.Instant;
import java.util.Optional;

/** The stored sign-in, for the commands that call auth-service with the access credential. */
final class SignIn {

    private SignIn() {
    }

    /** The stored login, which has a credential. */
    static StoredLogin stored(CliContext context) throws IOException, SignInNeeded {
        Optional<StoredLogin> stored = context.store().load();
        if (stored.isEmpty() || stored.get().credential() == null) {
            throw SignInNeeded.notSignedIn();
        }
        return stored.get();
    }

    /**
     * The login with an access credential that has not expired: refreshed first when it has, and the rotated pair
     * stored at once, since the old refresh token is spent (RFC 6749 §6).
     */
    static StoredLogin live(CliContext context, StoredLogin login)
            throws IOException, SignInNeeded, ServerUnreachableException {
        Instant now = context.clock().instant();
        if (!login.expired(now)) {
            return login;
        }
        if (login.refreshToken() == null) {
            throw new SignInNeeded("Your sign-in has expired. Run `infershield login` again.");
        }
        AccessToken refreshed;
        try {
            refreshed = context.auth().refresh(context.auth().discover(login.server()), login.refreshToken());
        } catch (OAuthException e) {
            throw new SignInNeeded("Your sign-in could not be renewed (" + e.getMessage()
                    + "). Run `infershield login` again.");
        }
        StoredLogin renewed = login.withAccess(refreshed.value(),
                refreshed.expiresIn().map(now::plus).orElse(null), refreshed.refreshToken());
        context.store().save(renewed);
        return renewed;
    }
}
