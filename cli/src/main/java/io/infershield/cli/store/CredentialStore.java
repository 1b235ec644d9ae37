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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Keeps the signed-in state in {@code credentials.json}. The secrets (access credential, refresh token, personal key)
 * go to the OS keyring when there is one (service {@code infershield}, account = server URL, with {@code #refreshToken}
 * or {@code #personalKey} appended for the other two) and into the file otherwise; the file is always 0600 in a 0700
 * directory and is replaced atomically, so a crash never leaves a half-written or world-readable credential.
 */
public class CredentialStore {

    public static final String FILE_NAME = "credentials.json";
    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");

    private static final String CREDENTIAL = "credential";
    private static final String REFRESH_TOKEN = "refreshToken";
    private static final String PERSONAL_KEY = "personalKey";
    private static final List<String> SECRETS = List.of(CREDENTIAL, REFRESH_TOKEN, PERSONAL_KEY);

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
        Map<String, String> secrets = secretsOf(login);
        boolean inKeyring = keyring.map(store -> putAll(store, login.server(), secrets)).orElse(false);
        ObjectNode node = json.createObjectNode()
                .put("server", login.server())
                .put("proxy", login.proxy())
                .put("expiresAt", login.expiresAt() == null ? null : login.expiresAt().toString())
                .put("personalKeyExpiresAt", login.personalKeyExpiresAt() == null ? null
                        : login.personalKeyExpiresAt().toString())
                .put("storage", inKeyring ? "keyring" : "file");
        if (!inKeyring) {
            secrets.forEach((field, secret) -> node.put(field, secret));
        }
        writeAtomically(json.writerWithDefaultPrettyPrinter().writeValueAsBytes(node));
        return inKeyring ? "the OS keyring" : file().toString();
    }

    /** The login's secrets by field name; the credential is always there, the others once they exist. */
    private static Map<String, String> secretsOf(StoredLogin login) {
        Map<String, String> secrets = new LinkedHashMap<>();
        secrets.put(CREDENTIAL, login.credential());
        if (login.refreshToken() != null) {
            secrets.put(REFRESH_TOKEN, login.refreshToken());
        }
        if (login.personalKey() != null) {
            secrets.put(PERSONAL_KEY, login.personalKey());
        }
        return secrets;
    }

    /** All secrets go to the keyring or none do, so that a half-working keyring never splits a login. */
    private static boolean putAll(SecretStore store, String server, Map<String, String> secrets) {
        try {
            for (Map.Entry<String, String> secret : secrets.entrySet()) {
                store.put(account(server, secret.getKey()), secret.getValue());
            }
        } catch (Exception | LinkageError e) {
            // A locked or missing Secret Service is common on servers; the 0600 file is the documented fallback.
            return false;
        }
        // a secret this login no longer has must not outlive it there
        SECRETS.stream().filter(field -> !secrets.containsKey(field))
                .forEach(field -> deleteQuietly(store, account(server, field)));
        return true;
    }

    /** The credential keeps the keyring account it always had, the server URL; the others are named after it. */
    private static String account(String server, String field) {
        return CREDENTIAL.equals(field) ? server : server + "#" + field;
    }

    /** The stored login; a secret is null when its keyring entry is gone or unreadable. */
    public Optional<StoredLogin> load() throws IOException {
        if (!Files.exists(file())) {
            return Optional.empty();
        }
        JsonNode node = json.readTree(Files.readAllBytes(file()));
        String server = node.path("server").asText(null);
        boolean inKeyring = "keyring".equals(node.path("storage").asText());
        Map<String, String> secrets = new HashMap<>();
        for (String field : SECRETS) {
            secrets.put(field, inKeyring
                    ? keyring.flatMap(store -> readQuietly(store, account(server, field))).orElse(null)
                    : node.path(field).asText(null));
        }
        return Optional.of(new StoredLogin(server, node.path("proxy").asText(null), secrets.get(CREDENTIAL),
                instant(node, "expiresAt"), secrets.get(REFRESH_TOKEN), secrets.get(PERSONAL_KEY),
                instant(node, "personalKeyExpiresAt")));
    }

    private static Instant instant(JsonNode node, String field) {
        String value = node.path(field).asText(null);
        return value == null ? null : Instant.parse(value);
    }

    public void delete(String server) throws IOException {
        keyring.ifPresent(store -> SECRETS.forEach(field -> deleteQuietly(store, account(server, field))));
        Files.deleteIfExists(file());
    }

    private static void deleteQuietly(SecretStore store, String account) {
        try {
            store.delete(account);
        } catch (Exception | LinkageError e) {
            // Nothing stored there (file mode) or no keyring at all: the file is what counts.
        }
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
