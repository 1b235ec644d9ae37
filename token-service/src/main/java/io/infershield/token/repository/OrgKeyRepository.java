package io.infershield.token.repository;

import io.infershield.token.entity.OrgKey;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/** Org keys by (tenant, provider). */
@ApplicationScoped
public class OrgKeyRepository implements PanacheRepositoryBase<OrgKey, Long> {

    // One statement instead of find-then-insert: concurrent PUTs, or the bootstrap of several replicas, would
    // otherwise race into the unique constraint.
    private static final String UPSERT = """
            insert into org_key (tenant, provider, ciphertext, key_version, fingerprint)
            values (:tenant, :provider, :ciphertext, :keyVersion, :fingerprint)
            on conflict (tenant, provider) do update
               set ciphertext = excluded.ciphertext, key_version = excluded.key_version,
                   fingerprint = excluded.fingerprint, updated_at = now()
            """;

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
