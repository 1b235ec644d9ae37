package io.infershield.proxy.repository;

import io.infershield.proxy.entity.ToolApproval;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/** Tools approved through the admin API, by (tenant, entry). */
@ApplicationScoped
public class ToolApprovalRepository implements PanacheRepositoryBase<ToolApproval, Long> {

    public Uni<List<ToolApproval>> listByTenant(String tenant) {
        return list("tenant = ?1 order by entry", tenant);
    }

    public Uni<ToolApproval> find(String tenant, String entry) {
        return find("tenant = ?1 and entry = ?2", tenant, entry).firstResult();
    }
}
