package io.infershield.audit.service;

import java.time.Instant;
import java.util.Objects;

/**
 * The time range a report covers.
 *
 * @param from earliest {@code occurredAt}, inclusive
 * @param to   latest {@code occurredAt}, exclusive
 */
public record ReportPeriod(Instant from, Instant to) {

    public ReportPeriod {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (from.isAfter(to)) {
            throw new IllegalArgumentException("from must not be after to");
        }
    }
}
