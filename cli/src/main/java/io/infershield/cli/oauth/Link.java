package io.infershield.cli.oauth;

import java.util.List;

/**
 * One entry of the developer's links: a provider account token-service holds ({@code linked} or {@code broken}), or a
 * session still waiting for approval ({@code pending}). Times are shown as the server wrote them, so they stay null
 * when absent rather than being guessed.
 */
public record Link(String provider, String state, List<String> scopes, String linkedAt, String expiresAt,
                   String brokenReason) {

    public boolean broken() {
        return "broken".equals(state);
    }
}
