package io.infershield.token.rest;

/** The body of {@code DELETE …/links}: how many links this call revoked and deleted (0 when there were none). */
public record RevokedLinks(int revoked) {
}
