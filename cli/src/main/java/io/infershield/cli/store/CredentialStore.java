package io.infershield.cli.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Keeps the signed-in state in {@code credentials.json}. The credential itself goes to the OS keyring when there is
 * one (service {@code infershield}, account = server URL) and into the file otherwise; the file is always 0600 in a
 * 0700 directory and is replaced atomically, so a crash never leaves a half-written or world-readable credential.
 */
public class CredentialStore {

    public static final String FILE_NAME = "credentials.json";
    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");

    private final Path directory;
    private final Optional<SecretStore> keyring;
    private final ObjectMapper json;

    public CredentialStore(Path directory, Optional<SecretStore> keyring, ObjectMapper json) {
        this.directory = directory;
        this.keyring = keyring;
        this.json = json;
    }

    public Path file() {
        return directory.resolve(FILE_NAME);
    }

    /** Saves the login and says where the credential went. */
    public String save(StoredLogin login) throws IOException {
        boolean inKeyring = keyring.map(store -> {
            try {
                store.put(login.server(), login.credential());
                return true;
            } catch (Exception | LinkageError e) {
                // A locked or missing Secret Service is common on servers; the 0600 file is the documented fallback.
                return false;
            }
        }).orElse(false);
        ObjectNode node = json.createObjectNode()
                .put("server", login.server())
                .put("proxy", login.proxy())
                .put("expiresAt", login.expiresAt() == null ? null : login.expiresAt().toString())
                .put("storage", inKeyring ? "keyring" : "file");
        if (!inKeyring) {
            node.put("credential", login.credential());
        }
        writeAtomically(json.writerWithDefaultPrettyPrinter().writeValueAsBytes(node));
        return inKeyring ? "the OS keyring" : file().toString();
    }

    /** The stored login; its credential is null when the keyring entry is gone or unreadable. */
    public Optional<StoredLogin> load() throws IOException {
        if (!Files.exists(file())) {
            return Optional.empty();
        }
        JsonNode node = json.readTree(Files.readAllBytes(file()));
        String server = node.path("server").asText(null);
        String credential = "keyring".equals(node.path("storage").asText())
                ? keyring.flatMap(store -> readQuietly(store, server)).orElse(null)
                : node.path("credential").asText(null);
        String expiresAt = node.path("expiresAt").asText(null);
        return Optional.of(new StoredLogin(server, node.path("proxy").asText(null), credential,
                expiresAt == null ? null : Instant.parse(expiresAt)));
    }

    public void delete(String server) throws IOException {
        keyring.ifPresent(store -> {
            try {
                store.delete(server);
            } catch (Exception | LinkageError e) {
                // Nothing stored there (file mode) or no keyring at all: the file below is what counts.
            }
        });
        Files.deleteIfExists(file());
    }

    private static Optional<String> readQuietly(SecretStore store, String account) {
        try {
            return store.get(account);
        } catch (Exception | LinkageError e) {
            return Optional.empty();
        }
    }

    private void writeAtomically(byte[] content) throws IOException {
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        FileAttribute<?>[] dirAttributes = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_DIR)} : new FileAttribute<?>[0];
        FileAttribute<?>[] fileAttributes = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_FILE)} : new FileAttribute<?>[0];
        Files.createDirectories(directory, dirAttributes);
        if (posix) {
            Files.setPosixFilePermissions(directory, OWNER_DIR);
        }
        // The temporary file is born 0600, so the credential is never readable by others, not even for an instant.
        Path temp = Files.createTempFile(directory, ".credentials-", ".tmp", fileAttributes);
        try {
            Files.write(temp, content);
            Files.move(temp, file(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | UncheckedIOException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
    }
}
