package io.infershield.token.service;

import io.infershield.token.entity.ProviderLink;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/** What anyone but the proxy sees of a link: never a token. */
public record LinkMetadata(String provider, String state, List<String> scopes, Instant linkedAt, Instant expiresAt,
                           Instant lastRefreshAt, String brokenReason) {

    static LinkMetadata of(ProviderLink link) {
        return new LinkMetadata(link.provider, link.state, scopes(link.scopes), link.linkedAt, link.accessExpiresAt,
                link.lastRefreshAt, link.brokenReason);
    }

    static List<String> scopes(String joined) {
        return joined == null || joined.isBlank() ? List.of() : Arrays.asList(joined.split(" "));
    }
}
