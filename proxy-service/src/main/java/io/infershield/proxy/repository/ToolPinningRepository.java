package io.infershield.proxy.repository;

import io.infershield.proxy.entity.ToolPinning;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** Tenants' tool-pinning modes by tenant, and the load of every tenant's modes and approvals for the per-replica cache. */
@ApplicationScoped
public class ToolPinningRepository implements PanacheRepositoryBase<ToolPinning, String> {

    /** Every stored mode and approval, by tenant. */
    public record Stored(Map<String, String> modes, Map<String, Set<String>> approved) {
    }

    private final Pool pool;

    ToolPinningRepository(Pool pool) {
        this.pool = pool;
    }

    /** Plain SQL on the pool, as {@link PolicyRuleRepository#loadAll}: the periodic reload runs outside any session. */
    public Uni<Stored> loadAll() {
        Uni<Map<String, String>> modes = pool.query("select tenant, mode from tool_pinning").execute().map(rows -> {
            Map<String, String> out = new HashMap<>();
            for (Row r : rows) {
                out.put(r.getString("tenant"), r.getString("mode"));
            }
            return out;
        });
        Uni<Map<String, Set<String>>> approved = pool.query("select tenant, entry from tool_approval").execute()
                .map(rows -> {
                    Map<String, Set<String>> out = new HashMap<>();
                    for (Row r : rows) {
                        out.computeIfAbsent(r.getString("tenant"), t -> new HashSet<>()).add(r.getString("entry"));
                    }
                    return out;
                });
        return Uni.combine().all().unis(modes, approved).with(Stored::new);
    }
}
