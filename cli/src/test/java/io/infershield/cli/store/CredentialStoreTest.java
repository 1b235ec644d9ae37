package io.infershield.cli.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CredentialStoreTest {

    static final StoredLogin LOGIN = new StoredLogin("http://127.0.0.1:8081", "http://127.0.0.1:8080",
            "isk_SecretSecretSecret", Instant.parse("2025-02-01T00:00:00Z"));

    @TempDir
    Path temp;

    @Test
    void credentialGoesToTheKeyringAndStaysOutOfTheFile() throws Exception {
        Map<String, String> keyring = new HashMap<>();
        CredentialStore store = new CredentialStore(temp, Optional.of(new MapSecretStore(keyring)), new ObjectMapper());

        assertEquals("the OS keyring", store.save(LOGIN));

        assertEquals(Map.of(LOGIN.server(), LOGIN.credential()), keyring);
        assertFalse(Files.readString(store.file()).contains("isk_"));
        assertEquals(Optional.of(LOGIN), store.load());

        store.delete(LOGIN.server());
        assertTrue(keyring.isEmpty());
        assertFalse(Files.exists(store.file()));
    }

    @Test
    void refreshTokenAndPersonalKeyGoToTheKeyringTooAndLeaveWithTheLogin() throws Exception {
        Map<String, String> keyring = new HashMap<>();
        CredentialStore store = new CredentialStore(temp, Optional.of(new MapSecretStore(keyring)), new ObjectMapper());
        StoredLogin full = new StoredLogin(LOGIN.server(), LOGIN.proxy(), LOGIN.credential(), LOGIN.expiresAt(),
                "isr_RefreshSecretSecret", "isk_PersonalSecretSecret", Instant.parse("2025-05-01T00:00:00Z"));

        store.save(full);

        assertEquals(Map.of(LOGIN.server(), LOGIN.credential(), LOGIN.server() + "#refreshToken",
                "isr_RefreshSecretSecret", LOGIN.server() + "#personalKey", "isk_PersonalSecretSecret"), keyring);
        String file = Files.readString(store.file());
        assertFalse(file.contains("isr_") || file.contains("isk_"), file);
        assertEquals(Optional.of(full), store.load());

        store.save(LOGIN);
        assertEquals(Map.of(LOGIN.server(), LOGIN.credential()), keyring, "a new login leaves no stale key behind");

        store.save(full);
        store.delete(LOGIN.server());
        assertTrue(keyring.isEmpty());
    }

    @Test
    void brokenKeyringFallsBackToTheFile() throws Exception {
        SecretStore broken = new MapSecretStore(null);
        CredentialStore store = new CredentialStore(temp, Optional.of(broken), new ObjectMapper());

        assertEquals(store.file().toString(), store.save(LOGIN));

        assertTrue(Files.readString(store.file()).contains(LOGIN.credential()));
        assertEquals(Optional.of(LOGIN), store.load());
    }

    /** A keyring in a map; a null map behaves like a locked Secret Service. */
    private record MapSecretStore(Map<String, String> entries) implements SecretStore {
        @Override
        public void put(String account, String secret) {
            entries.put(account, secret);
        }

        @Override
        public Optional<String> get(String account) {
            return Optional.ofNullable(entries.get(account));
        }

        @Override
        public void delete(String account) {
            entries.remove(account);
        }
    }
}
