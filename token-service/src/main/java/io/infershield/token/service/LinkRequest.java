package io.infershield.token.service;

import java.util.List;

/**
 * The tokens auth-service obtained when the user linked a provider (an RFC 6749 §5.1 token response).
 *
 * @param expiresIn seconds until the access token expires, or null when the provider did not say (GitHub's do not)
 */
public record LinkRequest(String accessToken, String refreshToken, Long expiresIn, List<String> scopes,
                          String tokenType) {

    /** Keeps the tokens out of any log line that prints the request. */
    @Override
    public String toString() {
        return "LinkRequest[expiresIn=" + expiresIn + ", scopes=" + scopes + ", tokenType=" + tokenType + "]";
    }
}
