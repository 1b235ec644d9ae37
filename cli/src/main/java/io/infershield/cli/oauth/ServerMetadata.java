package io.infershield.cli.oauth;

import java.net.URI;

/** The parts of the RFC 8414 metadata the command uses. */
public record ServerMetadata(String issuer, URI deviceAuthorizationEndpoint, URI tokenEndpoint, URI revocationEndpoint) {
}
