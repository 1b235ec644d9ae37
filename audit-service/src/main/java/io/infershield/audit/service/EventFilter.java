package io.infershield.audit.service;

import java.time.Instant;

/**
 * Which stored events to list, newest first. Every criterion is optional ({@code null} means "any").
 *
 * @param subject the user the events are about
 * @param type    the event type
 * @param tenant  the tenant
 * @param from    earliest {@code occurredAt}, inclusive
 * @param to      latest {@code occurredAt}, exclusive
 * @param limit   the most events to return, at least 1
 */
public record EventFilter(String subject, String type, String tenant, Instant from, Instant to, int limit) {

    public EventFilter {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1");
        }
    }

    /** The latest {@code limit} events, whatever they are about. */
    public static EventFilter latest(int limit) {
        return new EventFilter(null, null, null, null, null, limit);
    }
}
