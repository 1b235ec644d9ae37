package io.infershield.token.service;

/** The tenant holds no org key for the provider. */
public class OrgKeyNotFoundException extends RuntimeException {

    public OrgKeyNotFoundException(String tenant, String provider) {
        super("No org key for provider " + provider + " in tenant " + tenant);
    }
}
