package io.infershield.proxy.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.infershield.proxy.entity.ToolApproval;
import io.infershield.proxy.entity.ToolPinning;
import io.infershield.proxy.service.InvalidPolicyException;
import io.infershield.proxy.service.PolicyService;
import io.infershield.proxy.service.ToolAllowList;
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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Tenant administrators manage tool pinning here ({@link ToolAllowList}), signed in through Keycloak with the realm
 * role {@code admin}: approve a tool by name or by exact definition (the {@code name@sha256:<digest>} that
 * {@code POST /v1/security/scan} and the {@code tool_not_approved} findings of audit mode report), withdraw an
 * approval, and set the tenant's mode. Every change is audited as {@code proxy.tool_pinning.changed} with the
 * administrator as subject, and is in force on every replica within {@code proxy.security.policy-refresh}.
 */
@Path("/admin/v1/tenants/{tenant}/tools")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
public class ToolPinningAdminResource {

    /** One approved entry; {@code source} is {@code configuration} (read-only here) or {@code api}. */
    public record Approval(String entry, String source, String approvedBy, Instant approvedAt) {
        static Approval of(ToolApproval a) {
            return new Approval(a.entry, "api", a.approvedBy, a.approvedAt);
        }
    }

    /**
     * @param mode       the mode in force: {@code enforce}, {@code audit}, or null when the tenant offers any tool
     * @param modeSource where it is set: {@code api}, {@code configuration}, or null
     */
    public record TenantTools(String tenant, String mode, String modeSource, List<Approval> approved) {
    }

    /** The mode set through the API. */
    public record Mode(String tenant, String mode, String updatedBy, Instant updatedAt) {
        static Mode of(ToolPinning p) {
            return new Mode(p.tenant, p.mode, p.updatedBy, p.updatedAt);
        }
    }

    private final PolicyService policies;
    private final ToolAllowList tools;
    private final SecurityIdentity identity;

    ToolPinningAdminResource(PolicyService policies, ToolAllowList tools, SecurityIdentity identity) {
        this.policies = policies;
        this.tools = tools;
        this.identity = identity;
    }

    @GET
    public Uni<TenantTools> get(@PathParam("tenant") String tenant) {
        String t = PolicyAdminResource.tenant(tenant);
        return policies.toolPinning(t).map(state -> {
            List<Approval> approved = new ArrayList<>();
            tools.configured(t).forEach(entry -> approved.add(new Approval(entry, "configuration", null, null)));
            state.approvals().forEach(a -> approved.add(Approval.of(a)));
            approved.sort(Comparator.comparing(Approval::entry).thenComparing(Approval::source));
            String configured = tools.configuredMode(t);
            if (state.mode() != null) {
                return new TenantTools(t, state.mode().mode, "api", approved);
            }
            return new TenantTools(t, configured, configured == null ? null : "configuration", approved);
        });
    }

    /** Approves a tool: a name (any definition of it) or {@code name@sha256:<hex>} (that exact definition). */
    @PUT
    @Path("/approved/{entry}")
    public Uni<Approval> approve(@PathParam("tenant") String tenant, @PathParam("entry") String entry) {
        return policies.approve(PolicyAdminResource.tenant(tenant), entry(entry), identity.getPrincipal().getName())
                .map(Approval::of);
    }

    /** Withdraws an approval made through the API; 404 if there is none, 409 if configuration makes it. */
    @DELETE
    @Path("/approved/{entry}")
    public Uni<Void> withdraw(@PathParam("tenant") String tenant, @PathParam("entry") String entry) {
        return policies.withdraw(PolicyAdminResource.tenant(tenant), entry(entry), identity.getPrincipal().getName());
    }

    /** Sets the mode; body {@code {"mode": "enforce|audit"}}. */
    @PUT
    @Path("/mode")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Mode> setMode(@PathParam("tenant") String tenant, JsonNode body) {
        String t = PolicyAdminResource.tenant(tenant);
        JsonNode mode = body == null ? null : body.get("mode");
        if (body == null || !body.isObject() || mode == null || !mode.isTextual()
                || !(mode.asText().equals("enforce") || mode.asText().equals("audit"))) {
            throw new InvalidPolicyException("mode: must be one of enforce, audit");
        }
        return policies.setToolPinningMode(t, mode.asText(), identity.getPrincipal().getName()).map(Mode::of);
    }

    /** Removes the mode set through the API: the configured one applies again, or the tenant offers any tool. */
    @DELETE
    @Path("/mode")
    public Uni<Void> clearMode(@PathParam("tenant") String tenant) {
        return policies.clearToolPinningMode(PolicyAdminResource.tenant(tenant), identity.getPrincipal().getName());
    }

    private static String entry(String entry) {
        if (!ToolAllowList.isEntry(entry)) {
            throw new InvalidPolicyException("entry: must be a tool name or name@sha256:<64 lower-case hex digits>");
        }
        return entry;
    }
}
