package io.infershield.proxy.repository;

import io.infershield.proxy.entity.PolicyRule;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;

/** Policy rules by (tenant, group, category). */
@ApplicationScoped
public class PolicyRuleRepository implements PanacheRepositoryBase<PolicyRule, Long> {

    /** A rule as the per-replica cache holds it. */
    public record RuleRow(String tenant, String group, String category, int threshold, String action) {
    }

    private static final String ALL = "select tenant, group_name, category, threshold, action from policy_rule";

    private final Pool pool;

    PolicyRuleRepository(Pool pool) {
        this.pool = pool;
    }

    /**
     * Every rule of every tenant. Plain SQL on the pool rather than a Hibernate session: the periodic reload runs on
     * a timer, outside any request, where Hibernate Reactive has no session context to run in.
     */
    public Uni<List<RuleRow>> loadAll() {
        return pool.query(ALL).execute().map(rows -> {
            List<RuleRow> out = new ArrayList<>();
            for (Row r : rows) {
                out.add(new RuleRow(r.getString("tenant"), r.getString("group_name"), r.getString("category"),
                        r.getInteger("threshold"), r.getString("action")));
            }
            return out;
        });
    }

    public Uni<List<PolicyRule>> listByTenant(String tenant) {
        return list("tenant = ?1 order by groupName, category", tenant);
    }

    public Uni<PolicyRule> find(String tenant, String group, String category) {
        return find("tenant = ?1 and groupName = ?2 and category = ?3", tenant, group, category).firstResult();
    }
}
