package io.infershield.token.repository;

import io.infershield.token.entity.OrgKey;
import io.infershield.token.vault.Sealed;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;

/** Org keys by (tenant, provider): Panache for the admin API, plain SQL for the credential path and rotation. */
@ApplicationScoped
public class OrgKeyRepository implements PanacheRepositoryBase<OrgKey, Long> {

    // One statement instead of find-then-insert: concurrent PUTs, or the bootstrap of several replicas, would
    // otherwise race into the unique constraint.
    private static final String UPSERT = """
            insert into org_key (tenant, provider, ciphertext, key_version, fingerprint)
            values (:tenant, :provider, :ciphertext, :keyVersion, :fingerprint)
            on conflict (tenant, provider) do update
               set ciphertext = excluded.ciphertext, key_version = excluded.key_version,
                   fingerprint = excluded.fingerprint, version = org_key.version + 1, updated_at = now()
            """;

    private static final String FIND = "select ciphertext, key_version, version from org_key where tenant = $1 and provider = $2";
    private static final String STALE = """
            select id, tenant, provider, ciphertext, key_version, version from org_key
            where key_version <> $1 order by id limit $2 for update skip locked""";
    private static final String RESEAL = """
            update org_key set ciphertext = $3, key_version = $4 where id = $1 and version = $2""";

    /** An org key as the credential path reads it over plain SQL. */
    public record OrgKeyRow(long id, String tenant, String provider, Sealed sealed, long version) {
    }

    public Uni<Void> upsert(String tenant, String provider, String ciphertext, String keyVersion, String fingerprint) {
        return getSession().chain(session -> session.createNativeQuery(UPSERT)
                        .setParameter("tenant", tenant)
                        .setParameter("provider", provider)
                        .setParameter("ciphertext", ciphertext)
                        .setParameter("keyVersion", keyVersion)
                        .setParameter("fingerprint", fingerprint)
                        .executeUpdate())
                .replaceWithVoid();
    }

    /** The tenant's key for the provider, or null. */
    public Uni<OrgKeyRow> find(SqlClient client, String tenant, String provider) {
        return client.preparedQuery(FIND).execute(Tuple.of(tenant, provider)).map(rows -> {
            var it = rows.iterator();
            if (!it.hasNext()) {
                return null;
            }
            Row row = it.next();
            return new OrgKeyRow(0, tenant, provider, new Sealed(row.getString("key_version"), row.getString("ciphertext")),
                    row.getLong("version"));
        });
    }

    /** Keys sealed under a key version other than {@code current}, locked until {@code tx} ends. */
    public Uni<List<OrgKeyRow>> lockStale(SqlClient tx, String current, int limit) {
        return tx.preparedQuery(STALE).execute(Tuple.of(current, limit)).map(rows -> {
            List<OrgKeyRow> out = new ArrayList<>();
            for (Row row : rows) {
                out.add(new OrgKeyRow(row.getLong("id"), row.getString("tenant"), row.getString("provider"),
                        new Sealed(row.getString("key_version"), row.getString("ciphertext")), row.getLong("version")));
            }
            return out;
        });
    }

    /** Re-seals a key unless it was replaced since it was read; the key's value, and so its version, stay. */
    public Uni<Boolean> reseal(SqlClient tx, OrgKeyRow key, Sealed sealed) {
        return tx.preparedQuery(RESEAL).execute(Tuple.of(key.id(), key.version(), sealed.ciphertext(), sealed.keyVersion()))
                .map(rows -> rows.rowCount() == 1);
    }

    public Uni<OrgKey> findByTenantAndProvider(String tenant, String provider) {
        return find("tenant = ?1 and provider = ?2", tenant, provider).firstResult();
    }

    public Uni<List<OrgKey>> listByTenant(String tenant) {
        return list("tenant", Sort.by("provider"), tenant);
    }

    /** @return whether a key was deleted */
    public Uni<Boolean> deleteByTenantAndProvider(String tenant, String provider) {
        return delete("tenant = ?1 and provider = ?2", tenant, provider).map(count -> count > 0);
    }
}
