package io.infershield.token.support;

import io.smallrye.jwt.build.Jwt;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Access tokens shaped like Keycloak's (roles under {@code realm_access/roles}, the service account's
 * {@code preferred_username}), signed with the key that OidcWiremockTestResource publishes. Its own getAccessToken puts
 * roles in {@code groups}, which this service ignores, as it must with real Keycloak tokens.
 */
public final class Tokens {

    /** auth-service's service account, as Keycloak names it. */
    public static final String AUTH_SERVICE = "service-account-infershield-auth";
    /** proxy-service's service account. */
    public static final String PROXY_SERVICE = "service-account-infershield-proxy";

    private Tokens() {
    }

    /** auth-service's token: role {@code token-custodian}. */
    public static String custodian() {
        return withRealmRoles(AUTH_SERVICE, "token-custodian");
    }

    /** proxy-service's token: role {@code token-consumer}. */
    public static String consumer() {
        return withRealmRoles(PROXY_SERVICE, "token-consumer");
    }

    public static String withRealmRoles(String user, String... roles) {
        return Jwt.preferredUserName(user)
                .claim("realm_access", Map.of("roles", List.of(roles)))
                .issuer("https://server.example.com")
                .audience("https://server.example.com")
                .subject(user)
                .jws()
                .keyId("1")
                .sign("privateKey.jwk");
    }

    public static String withGroups(String user, String... groups) {
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
