package io.infershield.token.vault;

/**
 * A stored ciphertext did not authenticate: it was altered, moved to another record, or sealed under a key this
 * keyring does not hold. Never carries the ciphertext or the plaintext.
 */
public class CiphertextRejectedException extends RuntimeException {

    public CiphertextRejectedException(String message, Throwable cause) {
        super(message, cause);
    }

    public CiphertextRejectedException(String message) {
        super(message);
    }
}
