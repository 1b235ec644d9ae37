package io.infershield.token.service;

/** A decrypted org key, as released to proxy-service. */
public record OrgKeySecret(String provider, String apiKey, String keyVersion) {

    /** Keeps the key out of any log line or debugger view that prints the record. */
    @Override
    public String toString() {
        return "OrgKeySecret[provider=" + provider + ", keyVersion=" + keyVersion + "]";
    }
}
