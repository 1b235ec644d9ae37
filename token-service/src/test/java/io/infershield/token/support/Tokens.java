package io.infershield.token.rest;

import io.smallrye.jwt.build.Jwt;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Access tokens shaped like Keycloak's (roles under {@code realm_access/roles}), signed with the key that
 * OidcWiremockTestResource publishes. Its own getAccessToken puts roles in {@code groups}, which this service ignores.
 */
final class Tokens {

    private Tokens() {
    }

    static String withRealmRoles(String user, String... roles) {
        return Jwt.preferredUserName(user)
                .claim("realm_access", Map.of("roles", List.of(roles)))
                .issuer("https://server.example.com")
                .audience("https://server.example.com")
                .subject(user)
                .jws()
                .keyId("1")
                .sign("privateKey.jwk");
    }

    static String withGroups(String user, String... groups) {
        return Jwt.preferredUserName(user)
                .groups(Set.of(groups))
                .issuer("https://server.example.com")
                .audience("https://server.example.com")
                .subject(user)
                .jws()
                .keyId("1")
                .sign("privateKey.jwk");
    }
}
