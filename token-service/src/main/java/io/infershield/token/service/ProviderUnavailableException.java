package io.infershield.token.service;

/** A refresh could not reach the provider after its retries, and no still-valid token is left to hand out. */
public class ProviderUnavailableException extends RuntimeException {

    ProviderUnavailableException(String provider, String reason) {
        super("The provider " + provider + " could not refresh the token (" + reason + "); try again later",
                null, false, false);
    }
}
