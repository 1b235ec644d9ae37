package io.infershield.token.vault;

import io.infershield.token.config.TokenConfig;
import io.smallrye.mutiny.Uni;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The local keyring: AES-256-GCM under a key derived per (tenant, owner) with HKDF-SHA256 from a versioned master key.
 *
 * <p>Ciphertext text is {@code base64(nonce ‖ ciphertext ‖ tag)} with a fresh 96-bit nonce per write (NIST SP 800-38D
 * §8.2.2: random nonces stay safe far beyond the number of writes a key store sees). The key version, tenant, owner
 * and provider are GCM associated data, so a ciphertext moved to another record or relabelled fails authentication.
 *
 * <p>Rotation: new writes use the current master key version; retired versions still open old rows until
 * {@link #reseal} has moved them to the current one.
 */
public class LocalKeyring implements Encryptor {

    static final String DEFAULT_VERSION = "v1";
    static final int MASTER_KEY_BYTES = 32;

    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final int AES_KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    // RFC 5869 §3.1: a fixed, application-specific salt is fine when the input key is already uniformly random.
    private static final byte[] HKDF_SALT = "infershield-token/keyring".getBytes(StandardCharsets.UTF_8);

    private final SecureRandom random = new SecureRandom();
    private final String currentVersion;
    private final Map<String, byte[]> masterKeys;

    /** A keyring over one raw 32-byte master key, version {@code v1}. */
    public LocalKeyring(byte[] masterKey) {
        this(DEFAULT_VERSION, Map.of(DEFAULT_VERSION, masterKey));
    }

    /** A keyring that writes with {@code currentVersion} and reads every version in {@code masterKeys}. */
    public LocalKeyring(String currentVersion, Map<String, byte[]> masterKeys) {
        if (!masterKeys.containsKey(currentVersion)) {
            throw new IllegalArgumentException("no master key for the current version " + currentVersion);
        }
        Map<String, byte[]> copy = new HashMap<>();
        masterKeys.forEach((version, key) -> {
            if (key == null || key.length != MASTER_KEY_BYTES) {
                throw new IllegalArgumentException("token.keyring master key " + version + " must be " + MASTER_KEY_BYTES
                        + " bytes, got " + (key == null ? 0 : key.length));
            }
            copy.put(version, key.clone());
        });
        this.currentVersion = currentVersion;
        this.masterKeys = Map.copyOf(copy);
    }

    /**
     * The keyring the configuration describes.
     *
     * @throws IllegalStateException with what to set and how, if a key is missing or malformed
     */
    public static LocalKeyring fromConfig(TokenConfig.Keyring config) {
        return fromConfig(config.masterKey(), config.masterKeyVersion(), config.retiredKeys().orElse(List.of()));
    }

    static LocalKeyring fromConfig(Optional<String> masterKey, String masterKeyVersion, List<String> retiredKeys) {
        Map<String, byte[]> keys = new HashMap<>();
        for (String item : retiredKeys) {
            int colon = item.indexOf(':');
            String version = colon < 0 ? "" : item.substring(0, colon).strip();
            if (!version.matches("v[0-9]{1,6}")) {
                throw new IllegalStateException("TOKEN_KEYRING_RETIRED_KEYS items must be <version>:<base64>, "
                        + "with versions like v1");
            }
            keys.put(version, decodeMasterKey(Optional.of(item.substring(colon + 1)), "retired key " + version));
        }
        keys.put(masterKeyVersion, decodeMasterKey(masterKey, "master key"));
        return new LocalKeyring(masterKeyVersion, keys);
    }

    static byte[] decodeMasterKey(Optional<String> base64) {
        return decodeMasterKey(base64, "master key");
    }

    /**
     * Decodes a configured master key, failing with a message that says what to set and how to make it.
     *
     * @throws IllegalStateException if it is missing, not base64 or not 32 bytes
     */
    private static byte[] decodeMasterKey(Optional<String> base64, String what) {
        String hint = " Set TOKEN_KEYRING_MASTER_KEY (token.keyring.master-key) to the base64 of "
                + MASTER_KEY_BYTES + " random bytes, e.g. `openssl rand -base64 32`.";
        String value = base64.map(String::strip).filter(s -> !s.isEmpty())
                .orElseThrow(() -> new IllegalStateException("The keyring " + what + " is not set." + hint));
        byte[] key;
        try {
            key = Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("The keyring " + what + " is not valid base64." + hint);
        }
        if (key.length != MASTER_KEY_BYTES) {
            throw new IllegalStateException("The keyring " + what + " is " + key.length + " bytes, not "
                    + MASTER_KEY_BYTES + "." + hint);
        }
        return key;
    }

    @Override
    public Uni<Sealed> encrypt(String tenant, String owner, String provider, byte[] plaintext) {
        return Uni.createFrom().item(() -> seal(tenant, owner, provider, plaintext));
    }

    @Override
    public Uni<byte[]> decrypt(String tenant, String owner, String provider, Sealed sealed) {
        return Uni.createFrom().item(() -> open(tenant, owner, provider, sealed));
    }

    @Override
    public Uni<Sealed> reseal(String tenant, String owner, String provider, Sealed sealed) {
        return Uni.createFrom().item(() -> {
            byte[] plaintext = open(tenant, owner, provider, sealed);
            try {
                return seal(tenant, owner, provider, plaintext);
            } finally {
                Arrays.fill(plaintext, (byte) 0);
            }
        });
    }

    @Override
    public Uni<String> currentVersion() {
        return Uni.createFrom().item(currentVersion);
    }

    Sealed seal(String tenant, String owner, String provider, byte[] plaintext) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, currentVersion, tenant, owner, provider, nonce);
            byte[] sealed = cipher.doFinal(plaintext);
            byte[] out = ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
            return new Sealed(currentVersion, Base64.getEncoder().encodeToString(out));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    byte[] open(String tenant, String owner, String provider, Sealed sealed) {
        if (!masterKeys.containsKey(sealed.keyVersion())) {
            throw new CiphertextRejectedException("unknown key version " + sealed.keyVersion());
        }
        byte[] in;
        try {
            in = Base64.getDecoder().decode(sealed.ciphertext());
        } catch (IllegalArgumentException e) {
            throw new CiphertextRejectedException("ciphertext is not base64");
        }
        if (in.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new CiphertextRejectedException("ciphertext is too short");
        }
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, sealed.keyVersion(), tenant, owner, provider,
                    Arrays.copyOfRange(in, 0, NONCE_BYTES));
            return cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw new CiphertextRejectedException(
                    "ciphertext failed authentication: altered, or sealed for another tenant, owner or provider", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM decryption failed", e);
        }
    }

    private Cipher cipher(int mode, String version, String tenant, String owner, String provider, byte[] nonce)
            throws GeneralSecurityException {
        byte[] key = Hkdf.derive(HKDF_SALT, masterKeys.get(version), encode("infershield-token", version, tenant, owner),
                AES_KEY_BYTES);
        Cipher cipher = Cipher.getInstance(TRANSFORMATION);
        cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(encode("infershield-token", version, tenant, owner, provider));
        Arrays.fill(key, (byte) 0);
        return cipher;
    }

    /** Length-prefixes each part so that no two different tuples encode alike (("a", "bc") vs ("ab", "c")). */
    static byte[] encode(String... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String part : parts) {
            byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
            out.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
            out.writeBytes(bytes);
        }
        return out.toByteArray();
    }
}
