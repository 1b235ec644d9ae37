package io.infershield.cli.oauth;

/**
 * auth-service refused a call to its JSON API, usually with an RFC 9457 problem. {@link #error()} is the code the
 * problem carries, if any (for a provider that refused to start a link, the provider's own error code).
 */
public class ApiProblem extends OAuthException {

    private final int status;
    private final String detail;

    public ApiProblem(int status, String error, String detail, String message) {
        super(error, message);
        this.status = status;
        this.detail = detail;
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }

    /** The problem's {@code detail} (RFC 9457 §3.1.4), or null. */
    public String detail() {
        return detail;
    }
}
