package io.infershield.token.vault;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalKeyringTest {

    private static final byte[] MASTER = "test-only-master-key-32-bytes!!!".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SECRET = "sk-test-0123456789abcdef".getBytes(StandardCharsets.UTF_8);

    private final LocalKeyring keyring = new LocalKeyring(MASTER);

    @Test
    void decryptsWhatItEncrypted() {
        Sealed sealed = keyring.seal("acme", "_org", "openai", SECRET);

        assertEquals("v1", sealed.keyVersion());
        assertArrayEquals(SECRET, keyring.open("acme", "_org", "openai", sealed));
        assertArrayEquals(SECRET, new LocalKeyring(MASTER.clone()).open("acme", "_org", "openai", sealed),
                "another instance over the same master key must read it: replicas and restarts");
    }

    @Test
    void twoEncryptionsOfTheSamePlaintextDiffer() {
        Sealed first = keyring.seal("acme", "_org", "openai", SECRET);
        Sealed second = keyring.seal("acme", "_org", "openai", SECRET);

        assertNotEquals(first.ciphertext(), second.ciphertext());
        byte[] a = Base64.getDecoder().decode(first.ciphertext());
        byte[] b = Base64.getDecoder().decode(second.ciphertext());
        assertEquals(12 + SECRET.length + 16, a.length, "nonce, ciphertext and a 128-bit tag");
        assertFalse(java.util.Arrays.equals(a, 0, 12, b, 0, 12), "every write draws a fresh nonce");
    }

    @Test
    void ciphertextDoesNotContainThePlaintext() {
        Sealed sealed = keyring.seal("acme", "_org", "openai", SECRET);

        String raw = new String(Base64.getDecoder().decode(sealed.ciphertext()), StandardCharsets.ISO_8859_1);
        assertFalse(raw.contains("sk-"));
        assertFalse(sealed.ciphertext().contains("sk-"));
    }

    @Test
    void flippingAnyOneByteIsDetected() {
        Sealed sealed = keyring.seal("acme", "_org", "openai", SECRET);
        byte[] raw = Base64.getDecoder().decode(sealed.ciphertext());

        for (int i = 0; i < raw.length; i++) {
            byte[] tampered = raw.clone();
            tampered[i] ^= 0x01;
            Sealed altered = new Sealed("v1", Base64.getEncoder().encodeToString(tampered));
            CiphertextRejectedException e = assertThrows(CiphertextRejectedException.class,
                    () -> keyring.open("acme", "_org", "openai", altered), "byte " + i);
            assertTrue(e.getMessage().startsWith("ciphertext failed authentication"), e.getMessage());
        }
    }

    @Test
    void ciphertextBoundToOneRecordOpensForNoOther() {
        Sealed sealed = keyring.seal("acme", "_org", "openai", SECRET);

        assertThrows(CiphertextRejectedException.class, () -> keyring.open("globex", "_org", "openai", sealed));
        assertThrows(CiphertextRejectedException.class, () -> keyring.open("acme", "alice", "openai", sealed));
        assertThrows(CiphertextRejectedException.class, () -> keyring.open("acme", "_org", "anthropic", sealed));
        // length-prefixed binding: moving characters between tenant and owner is another record
        Sealed split = keyring.seal("ab", "c", "openai", SECRET);
        assertThrows(CiphertextRejectedException.class, () -> keyring.open("a", "bc", "openai", split));
    }

    @Test
    void anotherMasterKeyCannotDecrypt() {
        Sealed sealed = keyring.seal("acme", "_org", "openai", SECRET);
        byte[] other = MASTER.clone();
        other[0] ^= 0x01;

        assertThrows(CiphertextRejectedException.class,
                () -> new LocalKeyring(other).open("acme", "_org", "openai", sealed));
    }

    @Test
    void unknownKeyVersionOrTruncatedCiphertextIsRejected() {
        Sealed sealed = keyring.seal("acme", "_org", "openai", SECRET);

        CiphertextRejectedException version = assertThrows(CiphertextRejectedException.class,
                () -> keyring.open("acme", "_org", "openai", new Sealed("v2", sealed.ciphertext())));
        assertEquals("unknown key version v2", version.getMessage());
        CiphertextRejectedException shortText = assertThrows(CiphertextRejectedException.class,
                () -> keyring.open("acme", "_org", "openai", new Sealed("v1", "AAAA")));
        assertEquals("ciphertext is too short", shortText.getMessage());
    }

    @Test
    void rotationWritesWithTheCurrentVersionAndStillReadsRetiredOnes() {
        byte[] v2 = "another-master-key-of-32-bytes!!".getBytes(StandardCharsets.US_ASCII);
        Sealed old = keyring.seal("acme", "alice", "github", SECRET);
        LocalKeyring rotated = new LocalKeyring("v2", Map.of("v1", MASTER, "v2", v2));

        assertArrayEquals(SECRET, rotated.open("acme", "alice", "github", old), "a v1 row stays readable");
        Sealed fresh = rotated.seal("acme", "alice", "github", SECRET);
        assertEquals("v2", fresh.keyVersion());
        Sealed resealed = rotated.reseal("acme", "alice", "github", old).await().indefinitely();
        assertEquals("v2", resealed.keyVersion());
        assertArrayEquals(SECRET, rotated.open("acme", "alice", "github", resealed));
        assertEquals("v2", rotated.currentVersion().await().indefinitely());
        CiphertextRejectedException unknown = assertThrows(CiphertextRejectedException.class,
                () -> keyring.open("acme", "alice", "github", fresh));
        assertEquals("unknown key version v2", unknown.getMessage());
        // a v2 ciphertext relabelled as v1 does not open: the version is authenticated too
        assertThrows(CiphertextRejectedException.class,
                () -> rotated.open("acme", "alice", "github", new Sealed("v1", fresh.ciphertext())));
    }

    @Test
    void configuredRetiredKeysAreParsedAndCheckedAtStart() {
        String v1 = Base64.getEncoder().encodeToString(MASTER);
        LocalKeyring fromConfig = LocalKeyring.fromConfig(Optional.of(
                Base64.getEncoder().encodeToString("another-master-key-of-32-bytes!!".getBytes(StandardCharsets.US_ASCII))),
                "v2", List.of("v1:" + v1));
        Sealed old = keyring.seal("acme", "_org", "openai", SECRET);
        assertArrayEquals(SECRET, fromConfig.open("acme", "_org", "openai", old));

        IllegalStateException malformed = assertThrows(IllegalStateException.class,
                () -> LocalKeyring.fromConfig(Optional.of(v1), "v2", List.of("first:" + v1)));
        assertEquals("TOKEN_KEYRING_RETIRED_KEYS items must be <version>:<base64>, with versions like v1",
                malformed.getMessage());
        IllegalStateException shortKey = assertThrows(IllegalStateException.class,
                () -> LocalKeyring.fromConfig(Optional.of(v1), "v2", List.of("v1:AAAA")));
        assertTrue(shortKey.getMessage().startsWith("The keyring retired key v1 is 3 bytes, not 32."), shortKey.getMessage());
    }

    @Test
    void masterKeyOfWrongLengthIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new LocalKeyring(new byte[16]));
        assertThrows(IllegalArgumentException.class, () -> new LocalKeyring(new byte[33]));

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> LocalKeyring.decodeMasterKey(Optional.of(Base64.getEncoder().encodeToString(new byte[16]))));
        assertEquals("The keyring master key is 16 bytes, not 32. Set TOKEN_KEYRING_MASTER_KEY "
                + "(token.keyring.master-key) to the base64 of 32 random bytes, e.g. `openssl rand -base64 32`.",
                e.getMessage());
    }

    @Test
    void missingOrUndecodableMasterKeyFailsWithInstructions() {
        IllegalStateException missing = assertThrows(IllegalStateException.class,
                () -> LocalKeyring.decodeMasterKey(Optional.empty()));
        assertTrue(missing.getMessage().startsWith("The keyring master key is not set. Set TOKEN_KEYRING_MASTER_KEY"),
                missing.getMessage());
        IllegalStateException blank = assertThrows(IllegalStateException.class,
                () -> LocalKeyring.decodeMasterKey(Optional.of("  ")));
        assertTrue(blank.getMessage().startsWith("The keyring master key is not set."), blank.getMessage());
        IllegalStateException notBase64 = assertThrows(IllegalStateException.class,
                () -> LocalKeyring.decodeMasterKey(Optional.of("not base64!")));
        assertTrue(notBase64.getMessage().startsWith("The keyring master key is not valid base64."),
                notBase64.getMessage());
        assertArrayEquals(MASTER, LocalKeyring.decodeMasterKey(
                Optional.of(Base64.getEncoder().encodeToString(MASTER))));
    }
}
