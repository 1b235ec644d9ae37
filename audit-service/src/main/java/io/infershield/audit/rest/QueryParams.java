package io.infershield.audit.rest;

import io.infershield.audit.config.AuditConfig;
import io.infershield.audit.service.ReportPeriod;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * Parsing of the query parameters the audit API shares. Parameters arrive as strings and are parsed here because JAX-RS
 * answers a query parameter that fails conversion with 404 (Jakarta REST §3.2), and a malformed request is a 400 with
 * a {@code detail} that says what to send instead.
 */
final class QueryParams {

    /** Longest accepted subject, type or tenant; longer values cannot match a stored event anyway. */
    static final int MAX_TEXT_LENGTH = 256;

    private QueryParams() {
    }

    /** An optional identifier filter: {@code null} when absent or empty. */
    static String text(String name, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        // PostgreSQL rejects U+0000 in text, and no stored value holds control characters worth searching for.
        if (value.length() > MAX_TEXT_LENGTH || value.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidParameterException(
                    name + " must be at most " + MAX_TEXT_LENGTH + " characters without control characters.");
        }
        return value;
    }

    /** An optional ISO-8601 instant ({@code 2025-01-31T12:00:00Z}) in the years 1 to 9999. */
    static Instant instant(String name, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        Instant instant;
        try {
            instant = Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new InvalidParameterException(name + " must be an ISO-8601 instant such as 2025-01-31T12:00:00Z.");
        }
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            // +1000000000-01-01T00:00:00Z parses, but PostgreSQL cannot compare a timestamp with it
            throw new InvalidParameterException(name + " must be an ISO-8601 instant in the years 1 to 9999.");
        }
        return instant;
    }

    /** The page size: {@code audit.default-limit} when absent, else 1 to {@code audit.max-limit}. */
    static int limit(String value, AuditConfig config) {
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

    /** Rows to skip before a page: 0 when absent, else 0 to {@value #MAX_OFFSET}. */
    static int offset(String value) {
        if (value == null || value.isEmpty()) {
            return 0;
        }
        try {
            int offset = Integer.parseInt(value);
            if (offset >= 0 && offset <= MAX_OFFSET) {
                return offset;
            }
        } catch (NumberFormatException e) {
            // answered below, like an out-of-range number
        }
        throw new InvalidParameterException("offset must be an integer from 0 to " + MAX_OFFSET + ".");
    }

    /** Deeper pages than this are refused: PostgreSQL would compute and drop every row before them. */
    static final int MAX_OFFSET = 100_000;

    /**
     * A report's period. {@code from} and {@code to} are each an ISO-8601 instant ({@code 2025-01-31T12:00:00Z}) or a
     * date ({@code 2025-01-31}, a UTC day). {@code from} is inclusive and a date means the start of that day; {@code to}
     * is exclusive as an instant, and a date means the whole day is included, as people read "from 1 to 31 January".
     * Without {@code to} the period ends now; without {@code from} it starts {@code audit.reports.default-period}
     * before its end.
     */
    static ReportPeriod period(String from, String to, AuditConfig.Reports config, Clock clock) {
        Instant toInstant = bound("to", to, true);
        Instant fromInstant = bound("from", from, false);
        if (toInstant == null) {
            toInstant = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        }
        if (fromInstant == null) {
            fromInstant = toInstant.minus(config.defaultPeriod());
        }
        if (fromInstant.isAfter(toInstant)) {
            throw new InvalidParameterException("from must not be after to.");
        }
        Duration max = config.maxPeriod();
        if (Duration.between(fromInstant, toInstant).compareTo(max) > 0) {
            throw new InvalidParameterException(
                    "from and to must be at most " + describe(max) + " apart; ask for several reports.");
        }
        return new ReportPeriod(fromInstant, toInstant);
    }

    /** Bounds outside the years 1 to 9999 (RFC 3339's range) are refused: PostgreSQL cannot store all of them. */
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");

    private static Instant bound(String name, String value, boolean endOfDay) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        Instant bound;
        try {
            bound = Instant.parse(value);
        } catch (DateTimeException notAnInstant) {
            try {
                LocalDate day = LocalDate.parse(value);
                bound = (endOfDay ? day.plusDays(1) : day).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeException notADate) {
                bound = null;
            }
        }
        if (bound == null || bound.isBefore(EARLIEST) || bound.isAfter(LATEST.plusMillis(1))) {
            throw new InvalidParameterException(name + " must be an ISO-8601 instant such as 2025-01-31T12:00:00Z"
                    + " or a date such as 2025-01-31, in the years 1 to 9999.");
        }
        return bound;
    }

    private static String describe(Duration duration) {
        return duration.toHoursPart() == 0 && duration.toMinutesPart() == 0 && duration.toSecondsPart() == 0
                && duration.toNanosPart() == 0 ? duration.toDays() + " days" : duration.toString();
    }
}
