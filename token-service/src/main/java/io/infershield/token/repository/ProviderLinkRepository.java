package io.infershield.token.repository;

import io.infershield.token.entity.ProviderLink;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/** A user's provider links by (tenant, subject, provider): never another user's. */
@ApplicationScoped
public class ProviderLinkRepository implements PanacheRepositoryBase<ProviderLink, Long> {

    public Uni<List<ProviderLink>> listByOwner(String tenant, String subject) {
        return list("tenant = ?1 and subject = ?2", Sort.by("provider"), tenant, subject);
    }

    public Uni<ProviderLink> findByOwner(String tenant, String subject, String provider) {
        return find("tenant = ?1 and subject = ?2 and provider = ?3", tenant, subject, provider).firstResult();
    }
}
