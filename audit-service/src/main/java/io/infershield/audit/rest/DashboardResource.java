package io.infershield.audit.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.infershield.audit.config.AuditConfig;
import io.infershield.audit.service.AuditEventService;
import io.infershield.audit.service.EventFilter;
import io.infershield.events.EventEnvelope;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

/** The dashboard: the latest events as an HTML table, for people signed in through Keycloak. */
@Path("/")
public class DashboardResource {

    @CheckedTemplate
    static class Templates {
        // Qute escapes every {expression} in an .html template, so stored values cannot inject markup.
        static native TemplateInstance dashboard(String user, List<Row> rows);
    }

    /**
     * One table row.
     *
     * @param status the {@code status} field of the body when it has one (e.g. the HTTP status of a proxied request),
     *               else empty
     */
    public record Row(String occurredAt, String type, String subject, String tenant, String status) {
    }

    private final AuditEventService service;
    private final AuditConfig config;
    private final SecurityIdentity identity;

    DashboardResource(AuditEventService service, AuditConfig config, SecurityIdentity identity) {
        this.service = service;
        this.config = config;
        this.identity = identity;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    @RolesAllowed({"admin", "ciso", "sre"})
    public Uni<TemplateInstance> dashboard() {
        String user = identity.getPrincipal().getName();
        return service.search(EventFilter.latest(config.dashboardRows()))
                .map(events -> Templates.dashboard(user, events.stream().map(DashboardResource::row).toList()));
    }

    private static Row row(EventEnvelope<JsonNode> event) {
        JsonNode status = event.body().path("status");
        return new Row(event.occurredAt().toString(), event.type(), event.subject() == null ? "" : event.subject(),
                event.tenant(), status.isNumber() || status.isTextual() ? status.asText() : "");
    }
}
