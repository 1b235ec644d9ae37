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
import java.time.format.DateTimeParseException;
import java.util.List;

/** The audit API: stored events, newest first, for security officers and administrators. */
@Path("/api/events")
@RolesAllowed({"admin", "ciso"})
public class EventResource {

    /** Longest accepted subject, type or tenant filter; longer values cannot match a stored event anyway. */
    private static final int MAX_FILTER_LENGTH = 256;

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
        // Parameters arrive as strings and are parsed here because JAX-RS answers a query parameter that fails
        // conversion with 404 (Jakarta REST §3.2), and a malformed request is a 400.
        Instant fromInstant = instant("from", from);
        Instant toInstant = instant("to", to);
        if (fromInstant != null && toInstant != null && fromInstant.isAfter(toInstant)) {
            throw new InvalidParameterException("from must not be after to.");
        }
        EventFilter filter = new EventFilter(text("subject", subject), text("type", type), text("tenant", tenant),
                fromInstant, toInstant, limit(limit));
        return service.search(filter);
    }

    private static String text(String name, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        // PostgreSQL rejects U+0000 in text, and no stored value holds control characters worth searching for.
        if (value.length() > MAX_FILTER_LENGTH || value.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidParameterException(
                    name + " must be at most " + MAX_FILTER_LENGTH + " characters without control characters.");
        }
        return value;
    }

    private static Instant instant(String name, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new InvalidParameterException(name + " must be an ISO-8601 instant such as 2025-01-31T12:00:00Z.");
        }
    }

    private int limit(String value) {
        if (value == null || value.isEmpty()) {
            return config.defaultLimit();
        }
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= config.maxLimit()) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below, like an out-of-range number
        }
        throw new InvalidParameterException("limit must be an integer from 1 to " + config.maxLimit() + ".");
    }
}
