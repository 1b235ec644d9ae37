package io.infershield.audit.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.infershield.audit.config.AuditConfig;
import io.infershield.audit.service.AuditEventService;
import io.infershield.audit.service.EventFilter;
import io.infershield.events.EventEnvelope;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestQuery;

import java.time.Instant;
import java.util.List;

/** The audit API: stored events, newest first, for security officers and administrators. */
@Path("/api/events")
@RolesAllowed({"admin", "ciso"})
public class EventResource {

    private final AuditEventService service;
    private final AuditConfig config;

    EventResource(AuditEventService service, AuditConfig config) {
        this.service = service;
        this.config = config;
    }

    /**
     * Lists stored events. {@code from} is inclusive and {@code to} exclusive, both ISO-8601 instants
     * ({@code 2025-01-31T12:00:00Z}).
     */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<List<EventEnvelope<JsonNode>>> list(@RestQuery String subject, @RestQuery String type,
            @RestQuery String tenant, @RestQuery String from, @RestQuery String to, @RestQuery String limit) {
        // Parameters arrive as strings: see QueryParams.
        Instant fromInstant = QueryParams.instant("from", from);
        Instant toInstant = QueryParams.instant("to", to);
        if (fromInstant != null && toInstant != null && fromInstant.isAfter(toInstant)) {
            throw new InvalidParameterException("from must not be after to.");
        }
        EventFilter filter = new EventFilter(QueryParams.text("subject", subject), QueryParams.text("type", type),
                QueryParams.text("tenant", tenant), fromInstant, toInstant, QueryParams.limit(limit, config));
        return service.search(filter);
    }
}
