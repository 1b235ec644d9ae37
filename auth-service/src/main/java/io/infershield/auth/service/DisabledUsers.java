package io.infershield.auth.service;

import io.infershield.auth.config.AuthConfig;
import io.infershield.auth.repository.DisabledUserRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Whether a user is disabled, for every path that issues or accepts something on their behalf. The checks made where
 * something is written take the user's lock first ({@link DisabledUserRepository}), so that nothing minted in a race
 * with a disable survives it.
 */
@ApplicationScoped
public class DisabledUsers {

    private final String tenant;
    private final Pool pool;
    private final DisabledUserRepository repository;

    DisabledUsers(AuthConfig config, Pool pool, DisabledUserRepository repository) {
        this.tenant = config.tenant();
        this.pool = pool;
        this.repository = repository;
    }

    /** A plain read, for answers that write nothing (introspection, the bearer check, the verification page). */
    public Uni<Boolean> isDisabled(String subject) {
        return repository.find(pool, tenant, subject).map(disabled -> disabled != null);
    }

    /** Takes the user's lock in the current Hibernate transaction and tells whether they are disabled. */
    public Uni<Boolean> lockAndCheck(String subject) {
        return repository.lockAndCheck(tenant, subject);
    }

    /** Takes the user's lock in the current Hibernate transaction; fails with {@link UserDisabled} if they are. */
    public Uni<Void> requireEnabled(String subject) {
        return lockAndCheck(subject).map(disabled -> {
            if (disabled) {
                throw new UserDisabled();
            }
            return null;
        });
    }

    /** Takes the user's lock in the transaction of {@code tx}; fails with {@link UserDisabled} if they are disabled. */
    public Uni<Void> requireEnabled(SqlClient tx, String subject) {
        return repository.lock(tx, tenant, subject)
                .chain(() -> repository.find(tx, tenant, subject))
                .map(disabled -> {
                    if (disabled != null) {
                        throw new UserDisabled();
                    }
                    return null;
                });
    }
}
