package io.infershield.auth.service;

import io.infershield.auth.config.AuthConfig;
import io.infershield.auth.link.DeviceCode;
import jakarta.enterprise.context.ApplicationScoped;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;

/**
 * Encrypts the upstream device code of a link session with AES-256-GCM under {@code auth.link.state-key}
 * (NIST SP 800-38D: a fresh 96-bit nonce per encryption, 128-bit tag). The session id is the associated data, so a
 * ciphertext copied into another session's row does not decrypt.
 */
@ApplicationScoped
public class LinkStateCipher {

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    LinkStateCipher(AuthConfig config) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(config.link().stateKey().strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("auth.link.state-key (AUTH_LINK_STATE_KEY) must be base64");
        }
        if (raw.length != 32) {
            throw new IllegalStateException("auth.link.state-key (AUTH_LINK_STATE_KEY) must be 32 bytes for AES-256");
        }
        this.key = new SecretKeySpec(raw, "AES");
        Arrays.fill(raw, (byte) 0);
    }

    /** nonce || ciphertext || tag. */
    public byte[] encrypt(UUID sessionId, DeviceCode deviceCode) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, nonce, sessionId);
            byte[] sealed = cipher.doFinal(deviceCode.value().getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every Java platform", e);
        }
    }

    /**
     * @throws IllegalStateException when the ciphertext was altered, belongs to another session, or was made under
     *                               another key
     */
    public DeviceCode decrypt(UUID sessionId, byte[] sealed) {
        if (sealed == null || sealed.length <= NONCE_BYTES) {
            throw new IllegalStateException("link session " + sessionId + " holds no device code");
        }
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, Arrays.copyOf(sealed, NONCE_BYTES), sessionId);
            byte[] plain = cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
            return new DeviceCode(new String(plain, StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the device code of link session " + sessionId + " does not decrypt");
        }
    }

    private Cipher cipher(int mode, byte[] nonce, UUID sessionId) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(sessionId.toString().getBytes(StandardCharsets.US_ASCII));
        return cipher;
    }
}
