package io.infershield.token.vault;

/**
 * Seals secrets at rest, bound to the record they belong to. The local keyring implements it today; a Vault Transit
 * implementation replaces it when configured.
 *
 * <p>A sealed value only opens for the same (tenant, owner, provider) it was sealed for, so a ciphertext copied onto
 * another row or user fails with {@link CiphertextRejectedException} instead of yielding someone else's secret.
 */
public interface Encryptor {

    /**
     * Encrypts {@code plaintext} for one record.
     *
     * @param owner the user who owns the secret, or {@link #ORG_OWNER} for a tenant's org key
     */
    Sealed encrypt(String tenant, String owner, String provider, byte[] plaintext);

    /**
     * Decrypts what {@link #encrypt} sealed for the same record.
     *
     * @throws CiphertextRejectedException if the ciphertext was altered, belongs to another record or uses an unknown key version
     */
    byte[] decrypt(String tenant, String owner, String provider, Sealed sealed);

    /** The owner of a tenant's org keys, which belong to no single user. */
    String ORG_OWNER = "_org";
}
