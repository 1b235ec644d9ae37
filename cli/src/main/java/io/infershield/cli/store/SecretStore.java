package io.infershield.cli.store;

import java.util.Optional;

/** A place for the credential that is safer than a file: the OS keyring. Every call may fail on a machine without one. */
public interface SecretStore {

    void put(String account, String secret) throws Exception;

    Optional<String> get(String account) throws Exception;

    void delete(String account) throws Exception;
}
