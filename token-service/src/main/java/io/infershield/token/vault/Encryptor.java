package io.infershield.token.vault;

import io.smallrye.mutiny.Uni;

/**
 * Seals secrets at rest, bound to the record they belong to: the local keyring ({@link LocalKeyring}) or Vault Transit
 * ({@link TransitEncryptor}), chosen by {@code token.vault.kind}.
 *
 * <p>A sealed value only opens for the same (tenant, owner, provider) it was sealed for, so a ciphertext copied onto
 * another row or user fails with {@link CiphertextRejectedException} instead of yielding someone else's secret.
 * When the backend cannot be reached or refuses to work, the operations fail with {@link VaultUnavailableException}.
 */
public interface Encryptor {

    /** The owner of a tenant's org keys, which belong to no single user. */
    String ORG_OWNER = "_org";

    /**
     * Encrypts {@code plaintext} for one record, with a fresh nonce every time.
     *
     * @param owner the user who owns the secret, or {@link #ORG_OWNER} for a tenant's org key
     */
    Uni<Sealed> encrypt(String tenant, String owner, String provider, byte[] plaintext);

    /**
     * Decrypts what {@link #encrypt} sealed for the same record.
     *
     * <p>Fails with {@link CiphertextRejectedException} if the ciphertext was altered, belongs to another record or uses
     * an unknown key version.
     */
    Uni<byte[]> decrypt(String tenant, String owner, String provider, Sealed sealed);

    /** Re-encrypts a sealed value under the current key version without handing its plaintext to the caller. */
    Uni<Sealed> reseal(String tenant, String owner, String provider, Sealed sealed);

    /** The key version new writes carry; rows under any other version are due for {@link #reseal}. */
    Uni<String> currentVersion();
}
