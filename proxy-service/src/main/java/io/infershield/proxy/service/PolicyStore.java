package io.infershield.proxy.service;

import io.infershield.proxy.config.ProxyConfig;
import io.infershield.proxy.entity.PolicyRule;
import io.infershield.proxy.repository.PolicyRuleRepository;
import io.infershield.proxy.repository.ToolPinningRepository;
import io.infershield.proxy.security.Category;
import io.infershield.proxy.security.CategoryPolicy;
import io.infershield.proxy.security.Policy;
import io.infershield.proxy.security.PolicyAction;
import io.infershield.proxy.security.PolicyBook;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The policies of every tenant, held in memory by each replica so that the request path never waits on the
 * database. Reloaded whole after every change made through this replica and every {@code proxy.security.policy-refresh},
 * so that a change made on another replica is in force here within that period.
 *
 * <p>Group resolution: a caller's groups are taken in the order auth-service reports them, and the first group that
 * has at least one rule of its own in the tenant is the caller's policy group. {@link PolicyBook} then resolves each
 * category from that group, else the tenant's default ({@code *}), else the built-in default. Rules of later groups
 * are not merged in: one group decides, so an administrator can tell from the group alone what a caller gets.
 */
@ApplicationScoped
public class PolicyStore {

    private static final Logger LOG = Logger.getLogger(PolicyStore.class);

    /** The rules of one load. */
    private record Snapshot(PolicyBook book, Map<String, Set<String>> groupsWithRules) {
    }

    /** The policy a caller gets, and the group it came from ({@code null}: the tenant's default). */
    public record Resolved(Policy policy, String group) {
    }

    private final PolicyRuleRepository rules;
    private final ToolPinningRepository toolPinning;
    private final ToolAllowList tools;
    private final ProxyConfig config;
    private volatile Snapshot snapshot;

    PolicyStore(PolicyRuleRepository rules, ToolPinningRepository toolPinning, ToolAllowList tools, ProxyConfig config) {
        this.rules = rules;
        this.toolPinning = toolPinning;
        this.tools = tools;
        this.config = config;
    }

    void start(@Observes StartupEvent event, Vertx vertx) {
        reload().subscribe().with(ok -> { }, e -> { });
        vertx.setPeriodic(config.security().policyRefresh().toMillis(),
                id -> reload().subscribe().with(ok -> { }, e -> { }));
    }

    /**
     * Reads every rule and every tenant's tool pinning ({@link ToolAllowList}) again and swaps them in; on failure
     * what was loaded before stays in force. Until the first load, requests fail closed ({@link #resolve}).
     */
    public Uni<Void> reload() {
        return Uni.combine().all().unis(rules.loadAll(), toolPinning.loadAll()).asTuple()
                .invoke(loaded -> {
                    tools.load(loaded.getItem2().modes(), loaded.getItem2().approved());
                    snapshot = snapshotOf(loaded.getItem1());
                })
                .onFailure().invoke(e -> LOG.warnf("policies could not be reloaded: %s", e.getClass().getSimpleName()))
                .replaceWithVoid();
    }

    /**
     * The policy for a caller of {@code tenant} with {@code groups}.
     *
     * @throws GatewayException 503 while no policy has been loaded yet: the gateway fails closed rather than apply
     *                          the built-in default where a tenant may have set a stricter one
     */
    public Resolved resolve(String tenant, List<String> groups) {
        Snapshot s = current();
        Set<String> withRules = s.groupsWithRules().getOrDefault(tenant, Set.of());
        for (String group : groups) {
            if (withRules.contains(group)) {
                return new Resolved(s.book().resolve(tenant, group), group);
            }
        }
        return new Resolved(s.book().resolve(tenant, null), null);
    }

    /** The policy of one named group of {@code tenant} (a group without rules gets the tenant's default). */
    public Policy resolveGroup(String tenant, String group) {
        return current().book().resolve(tenant, group);
    }

    private Snapshot current() {
        Snapshot s = snapshot;
        if (s == null) {
            throw GatewayException.policyUnavailable();
        }
        return s;
    }

    private static Snapshot snapshotOf(List<PolicyRuleRepository.RuleRow> rows) {
        PolicyBook book = new PolicyBook(Policy.defaults());
        Map<String, Set<String>> groups = new HashMap<>();
        for (PolicyRuleRepository.RuleRow row : rows) {
            Category category = Category.fromWire(row.category());
            CategoryPolicy rule = new CategoryPolicy(row.threshold(),
                    PolicyAction.valueOf(row.action().toUpperCase(Locale.ROOT)));
            if (PolicyRule.TENANT_DEFAULT.equals(row.group())) {
                book.setTenantRule(row.tenant(), category, rule);
            } else {
                book.setGroupRule(row.tenant(), row.group(), category, rule);
                groups.computeIfAbsent(row.tenant(), t -> new HashSet<>()).add(row.group());
            }
        }
        return new Snapshot(book, groups);
    }
}
