package io.infershield.token.service;

/**
 * Nothing at this (tenant, user, provider): no link, no credential, or a provider this service does not know. The
 * problem type names which; the message is safe to show the caller.
 */
public class NotFoundException extends RuntimeException {

    private final String problem;

    private NotFoundException(String problem, String message) {
        super(message, null, false, false);
        this.problem = problem;
    }

    /** The problem type: {@code no-credential}, {@code no-link} or {@code unknown-provider}. */
    public String problem() {
        return problem;
    }

    static NotFoundException noCredential(String provider) {
        return new NotFoundException("no-credential", "Neither the user nor the tenant holds a credential for " + provider);
    }

    static NotFoundException noLink(String provider) {
        return new NotFoundException("no-link", "The user has no link to " + provider);
    }

    static NotFoundException unknownProvider(String provider) {
        return new NotFoundException("unknown-provider", "No provider " + provider + " is configured for links");
    }
}
