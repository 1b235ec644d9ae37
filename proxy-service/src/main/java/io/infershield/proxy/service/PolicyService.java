package io.infershield.proxy.service;

import io.infershield.events.PolicyChanged;
import io.infershield.events.ToolPinningChanged;
import io.infershield.proxy.entity.PolicyRule;
import io.infershield.proxy.entity.ToolApproval;
import io.infershield.proxy.entity.ToolPinning;
import io.infershield.proxy.messaging.ProxyEvents;
import io.infershield.proxy.repository.PolicyRuleRepository;
import io.infershield.proxy.repository.ToolApprovalRepository;
import io.infershield.proxy.repository.ToolPinningRepository;
import io.infershield.proxy.security.Category;
import io.infershield.proxy.security.CategoryPolicy;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.exception.ConstraintViolationException;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Changes to the stored policies, each audited as {@code proxy.policy.changed}, and to tenants' tool pinning, each
 * audited as {@code proxy.tool_pinning.changed}. The event is written to the outbox in
 * the transaction of the change, so a change is never made without its event, nor an event published for a change that
 * rolled back; the relay publishes it once committed, and a Kafka outage delays the event rather than refuse the change.
 */
@ApplicationScoped
public class PolicyService {

    private final PolicyRuleRepository rules;
    private final ToolApprovalRepository approvals;
    private final ToolPinningRepository toolModes;
    private final ToolAllowList tools;
    private final PolicyStore store;
    private final ProxyEvents events;

    PolicyService(PolicyRuleRepository rules, ToolApprovalRepository approvals, ToolPinningRepository toolModes,
            ToolAllowList tools, PolicyStore store, ProxyEvents events) {
        this.rules = rules;
        this.approvals = approvals;
        this.toolModes = toolModes;
        this.tools = tools;
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

    /**
     * Whether the failure is a unique key refusing a second insert of the same rule, approval or mode: the write
     * that lost the race, run again, finds the winner's row.
     */
    private static boolean lostInsertRace(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConstraintViolationException violation
                    && UNIQUE_KEYS.contains(String.valueOf(violation.getConstraintName()))) {
                return true;
            }
        }
        return false;
    }

    private static final Set<String> UNIQUE_KEYS = Set.of("policy_rule_uk", "tool_approval_uk", "tool_pinning_pkey");

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

    /** The tenant's tool-pinning mode set through the API (null when none) and its stored approvals, by entry. */
    public Uni<ToolPinningState> toolPinning(String tenant) {
        return Panache.withSession(() -> toolModes.findById(tenant)
                .chain(mode -> approvals.listByTenant(tenant).map(list -> new ToolPinningState(mode, list))));
    }

    /** A tenant's stored tool pinning: its mode row (or null) and its approvals. */
    public record ToolPinningState(ToolPinning mode, List<ToolApproval> approvals) {
    }

    /** Approves a tool for the tenant; approving it again changes nothing and records nothing. */
    public Uni<ToolApproval> approve(String tenant, String entry, String admin) {
        Uni<ToolApproval> write = Panache.withTransaction(() -> approvals.find(tenant, entry).chain(existing -> {
            if (existing != null) {
                return Uni.createFrom().item(existing);
            }
            ToolApproval row = new ToolApproval();
            row.tenant = tenant;
            row.entry = entry;
            row.approvedBy = admin;
            row.approvedAt = Instant.now();
            return approvals.persist(row)
                    .call(() -> events.toolPinningChanged(tenant, admin, ToolPinningChanged.approval(entry, true)));
        }));
        return write.onFailure(PolicyService::lostInsertRace)
                .recoverWithUni(() -> Panache.withSession(() -> approvals.find(tenant, entry)))
                .call(this::reload);
    }

    /** Withdraws a stored approval; a 404 when there is none, a 409 when configuration approves the entry. */
    public Uni<Void> withdraw(String tenant, String entry, String admin) {
        return Panache.withTransaction(() -> approvals.find(tenant, entry).chain(existing -> {
                    if (existing == null) {
                        return Uni.createFrom().failure(tools.configured(tenant).contains(entry)
                                ? new PolicyConflictException("'" + entry + "' is approved for tenant '" + tenant
                                        + "' by proxy.security.tool-pinning in configuration, which the API cannot change")
                                : new PolicyNotFoundException("Tenant '" + tenant + "' has no approval of '" + entry + "'"));
                    }
                    return approvals.delete(existing)
                            .call(() -> events.toolPinningChanged(tenant, admin, ToolPinningChanged.approval(entry, false)));
                }))
                .call(this::reload);
    }

    /** Sets the tenant's pinning mode ({@code enforce} or {@code audit}); setting the same mode records nothing. */
    public Uni<ToolPinning> setToolPinningMode(String tenant, String mode, String admin) {
        return writeMode(tenant, mode, admin)
                .onFailure(PolicyService::lostInsertRace).recoverWithUni(() -> writeMode(tenant, mode, admin))
                .call(this::reload);
    }

    private Uni<ToolPinning> writeMode(String tenant, String mode, String admin) {
        return Panache.withTransaction(() -> toolModes.findById(tenant).chain(existing -> {
            String previous = existing != null ? existing.mode : tools.configuredMode(tenant);
            if (existing != null && existing.mode.equals(mode)) {
                return Uni.createFrom().item(existing);
            }
            ToolPinning row = existing != null ? existing : new ToolPinning();
            row.tenant = tenant;
            row.mode = mode;
            row.updatedBy = admin;
            row.updatedAt = Instant.now();
            Uni<ToolPinning> saved = existing == null ? toolModes.persist(row) : Uni.createFrom().item(row);
            return saved.call(() -> events.toolPinningChanged(tenant, admin, ToolPinningChanged.mode(mode, previous)));
        }));
    }

    /** Removes the mode set through the API: the configured mode applies again, or the tenant has no list. */
    public Uni<Void> clearToolPinningMode(String tenant, String admin) {
        return Panache.withTransaction(() -> toolModes.findById(tenant).chain(existing -> {
                    if (existing == null) {
                        return Uni.createFrom().failure(new PolicyNotFoundException(
                                "Tenant '" + tenant + "' has no tool-pinning mode set through this API"));
                    }
                    return toolModes.delete(existing).call(() -> events.toolPinningChanged(tenant, admin,
                            ToolPinningChanged.mode(tools.configuredMode(tenant), existing.mode)));
                }))
                .call(this::reload);
    }

    /** This replica applies the change at once; the others at their next refresh. */
    private Uni<Void> reload() {
        return store.reload().onFailure().recoverWithNull();
    }
}
