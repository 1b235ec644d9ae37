package io.infershield.cli.store;

import com.github.javakeyring.BackendNotSupportedException;
import com.github.javakeyring.Keyring;
import com.github.javakeyring.PasswordAccessException;

import java.util.Optional;

/**
 * macOS Keychain, Windows Credential Manager or the freedesktop Secret Service, through java-keyring. The keyring is
 * opened on first use, so commands that never touch the credential do not pay for loading JNA and D-Bus.
 */
public final class KeyringSecretStore implements SecretStore {

    /** The keyring entry's service name; the account is the auth server URL. */
    static final String SERVICE = "infershield";

    private Keyring keyring;

    @Override
    public void put(String account, String secret) throws BackendNotSupportedException, PasswordAccessException {
        keyring().setPassword(SERVICE, account, secret);
    }

    @Override
    public Optional<String> get(String account) throws BackendNotSupportedException, PasswordAccessException {
        return Optional.ofNullable(keyring().getPassword(SERVICE, account));
    }

    @Override
    public void delete(String account) throws BackendNotSupportedException, PasswordAccessException {
        keyring().deletePassword(SERVICE, account);
    }

    private Keyring keyring() throws BackendNotSupportedException {
        if (keyring == null) {
            keyring = Keyring.create();
        }
        return keyring;
    }
}
