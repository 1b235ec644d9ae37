package io.infershield.proxy.service;

import io.infershield.events.PolicyChanged;
import io.infershield.proxy.entity.PolicyRule;
import io.infershield.proxy.messaging.ProxyEvents;
import io.infershield.proxy.repository.PolicyRuleRepository;
import io.infershield.proxy.security.Category;
import io.infershield.proxy.security.CategoryPolicy;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.exception.ConstraintViolationException;

import java.time.Instant;
import java.util.List;

/**
 * Changes to the stored policies, each audited as {@code proxy.policy.changed}. The event is written to the outbox in
 * the transaction of the change, so a change is never made without its event, nor an event published for a change that
 * rolled back; the relay publishes it once committed, and a Kafka outage delays the event rather than refuse the change.
 */
@ApplicationScoped
public class PolicyService {

    private final PolicyRuleRepository rules;
    private final PolicyStore store;
    private final ProxyEvents events;

    PolicyService(PolicyRuleRepository rules, PolicyStore store, ProxyEvents events) {
        this.rules = rules;
        this.store = store;
        this.events = events;
    }

    /** The tenant's stored rules, ordered by group and category. */
    public Uni<List<PolicyRule>> list(String tenant) {
        return Panache.withSession(() -> rules.listByTenant(tenant));
    }

    /**
     * Sets the rule of one category for a group ({@code *}: the tenant's default) and returns it. Two first writes of
     * the same rule may both find no row; the one whose insert loses on the unique key is run again, and updates the
     * winner's row (with the winner as its previous value), so both succeed and each change has its event.
     */
    public Uni<PolicyRule> put(String tenant, String group, Category category, CategoryPolicy rule, String admin) {
        return write(tenant, group, category, rule, admin)
                .onFailure(PolicyService::lostInsertRace).recoverWithUni(() -> write(tenant, group, category, rule, admin))
                .call(this::reload);
    }

    /** Whether the failure is the unique key refusing a second insert of the same (tenant, group, category). */
    private static boolean lostInsertRace(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConstraintViolationException violation && "policy_rule_uk".equals(violation.getConstraintName())) {
                return true;
            }
        }
        return false;
    }

    private Uni<PolicyRule> write(String tenant, String group, Category category, CategoryPolicy rule, String admin) {
        return Panache.withTransaction(() -> rules.find(tenant, group, category.wire()).chain(existing -> {
                    PolicyRule row = existing != null ? existing : new PolicyRule();
                    Integer previousThreshold = existing == null ? null : existing.threshold;
                    String previousAction = existing == null ? null : existing.action;
                    row.tenant = tenant;
                    row.groupName = group;
                    row.category = category.wire();
                    row.threshold = rule.threshold();
                    row.action = rule.action().wire();
                    row.updatedBy = admin;
                    row.updatedAt = Instant.now();
                    Uni<PolicyRule> saved = existing == null ? rules.persist(row) : Uni.createFrom().item(row);
                    return saved.call(() -> events.policyChanged(tenant, admin, new PolicyChanged(group,
                            category.wire(), row.threshold, row.action, previousThreshold, previousAction)));
                }));
    }

    /** Removes a group's own rule for one category, so that the wider rule applies again. */
    public Uni<Void> delete(String tenant, String group, Category category, String admin) {
        return Panache.withTransaction(() -> rules.find(tenant, group, category.wire()).chain(existing -> {
                    if (existing == null) {
                        return Uni.createFrom().failure(new PolicyNotFoundException(
                                "Group '" + group + "' of tenant '" + tenant + "' has no rule of its own for "
                                        + category.wire()));
                    }
                    return rules.delete(existing)
                            .call(() -> events.policyChanged(tenant, admin, new PolicyChanged(group, category.wire(),
                                    null, null, existing.threshold, existing.action)));
                }))
                .call(this::reload);
    }

    /** This replica applies the change at once; the others at their next refresh. */
    private Uni<Void> reload() {
        return store.reload().onFailure().recoverWithNull();
    }
}
