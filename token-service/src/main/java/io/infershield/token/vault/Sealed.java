package io.infershield.token.vault;

import java.util.Objects;

/**
 * An encrypted secret as stored: the key version that sealed it and the ciphertext as text. The format of
 * {@code ciphertext} belongs to the {@link Encryptor} that made it.
 */
public record Sealed(String keyVersion, String ciphertext) {

    public Sealed {
        Objects.requireNonNull(keyVersion, "keyVersion");
        Objects.requireNonNull(ciphertext, "ciphertext");
    }
}
