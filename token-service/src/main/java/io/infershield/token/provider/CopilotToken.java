package io.infershield.token.provider;

import java.time.Instant;

/** A Copilot token as {@code copilot_internal/v2/token} issues it: to be refreshed at {@code refreshAt}. */
public record CopilotToken(String token, Instant expiresAt, Instant refreshAt, String apiBase) {

    @Override
    public String toString() {
        return "CopilotToken[expiresAt=" + expiresAt + ", refreshAt=" + refreshAt + ", apiBase=" + apiBase + "]";
    }
}
