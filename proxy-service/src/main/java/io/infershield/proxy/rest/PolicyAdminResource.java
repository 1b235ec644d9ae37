package io.infershield.proxy.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.infershield.proxy.entity.PolicyRule;
import io.infershield.proxy.security.Category;
import io.infershield.proxy.security.CategoryPolicy;
import io.infershield.proxy.security.Policy;
import io.infershield.proxy.security.PolicyAction;
import io.infershield.proxy.service.InvalidPolicyException;
import io.infershield.proxy.service.PolicyService;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Tenant administrators manage the security policy here, signed in through Keycloak with the realm role {@code admin}.
 * A rule is addressed by group ({@code *} for the tenant's default) and category; every change is audited as
 * {@code proxy.policy.changed} with the administrator as subject.
 */
@Path("/admin/v1/tenants/{tenant}/policies")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
public class PolicyAdminResource {

    /** A threshold and an action. */
    public record Setting(int threshold, String action) {
    }

    /** One stored rule. */
    public record RuleView(String group, String category, int threshold, String action, String updatedBy,
            Instant updatedAt) {
        static RuleView of(PolicyRule r) {
            return new RuleView(r.groupName, r.category, r.threshold, r.action, r.updatedBy, r.updatedAt);
        }
    }

    /**
     * @param tenantDefault the tenant's effective default per category: its own {@code *} rules over the built-in ones
     * @param rules         the stored rules, the tenant's default ({@code *}) and every group's
     */
    public record TenantPolicies(String tenant, @JsonProperty("default") Map<String, Setting> tenantDefault,
            List<RuleView> rules) {
    }

    private final PolicyService policies;
    private final SecurityIdentity identity;

    PolicyAdminResource(PolicyService policies, SecurityIdentity identity) {
        this.policies = policies;
        this.identity = identity;
    }

    @GET
    public Uni<TenantPolicies> get(@PathParam("tenant") String tenant) {
        String t = tenant(tenant);
        return policies.list(t).map(rows -> {
            Policy effective = Policy.defaults();
            for (PolicyRule r : rows) {
                if (PolicyRule.TENANT_DEFAULT.equals(r.groupName)) {
                    effective = effective.with(Category.fromWire(r.category),
                            new CategoryPolicy(r.threshold, PolicyAction.valueOf(r.action.toUpperCase(Locale.ROOT))));
                }
            }
            Map<String, Setting> defaults = new LinkedHashMap<>();
            for (Category c : Category.values()) {
                CategoryPolicy rule = effective.rule(c);
                defaults.put(c.wire(), new Setting(rule.threshold(), rule.action().wire()));
            }
            return new TenantPolicies(t, defaults, rows.stream().map(RuleView::of).toList());
        });
    }

    /** Sets the rule for one category of a group; body {@code {"threshold": 0-100, "action": "allow|alert|redact|block"}}. */
    @PUT
    @Path("/{group}/{category}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RuleView> put(@PathParam("tenant") String tenant, @PathParam("group") String group,
            @PathParam("category") String category, JsonNode body) {
        String t = tenant(tenant);
        String g = group(group);
        Category c = category(category);
        CategoryPolicy rule = rule(body);
        return policies.put(t, g, c, rule, identity.getPrincipal().getName()).map(RuleView::of);
    }

    /** Removes a group's own rule for a category, so that the wider rule applies again; 404 if it has none. */
    @DELETE
    @Path("/{group}/{category}")
    public Uni<Void> delete(@PathParam("tenant") String tenant, @PathParam("group") String group,
            @PathParam("category") String category) {
        return policies.delete(tenant(tenant), group(group), category(category), identity.getPrincipal().getName());
    }

    static String tenant(String tenant) {
        if (!tenant.matches(PolicyRule.TENANT_PATTERN)) {
            throw new InvalidPolicyException("tenant: must match " + PolicyRule.TENANT_PATTERN);
        }
        return tenant;
    }

    private static String group(String group) {
        if (!group.matches(PolicyRule.GROUP_PATTERN)) {
            throw new InvalidPolicyException("group: must be * or match [A-Za-z0-9._@-]{1,128}");
        }
        return group;
    }

    private static Category category(String category) {
        try {
            return Category.fromWire(category);
        } catch (IllegalArgumentException e) {
            throw new InvalidPolicyException("category: must be one of prompt_injection, secret, pii, exfiltration");
        }
    }

    private static CategoryPolicy rule(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new InvalidPolicyException("A JSON object with threshold and action is required");
        }
        JsonNode threshold = body.get("threshold");
        if (threshold == null || !threshold.isIntegralNumber() || !threshold.canConvertToInt() || threshold.asInt() < 0 || threshold.asInt() > 100) {
            throw new InvalidPolicyException("threshold: must be an integer from 0 to 100");
        }
        JsonNode action = body.get("action");
        PolicyAction parsed = null;
        for (PolicyAction a : PolicyAction.values()) {
            if (action != null && action.isTextual() && a.wire().equals(action.asText())) {
                parsed = a;
            }
        }
        if (parsed == null) {
            throw new InvalidPolicyException("action: must be one of allow, alert, redact, block");
        }
        return new CategoryPolicy(threshold.asInt(), parsed);
    }
}
