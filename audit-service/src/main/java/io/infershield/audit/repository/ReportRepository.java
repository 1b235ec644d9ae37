package io.infershield.audit.repository;

import io.infershield.audit.service.ReportPeriod;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The aggregate queries behind the compliance reports. Every figure is computed by PostgreSQL with {@code group by}
 * over the stored events (index {@code audit_event_subject_type_occurred_at}, V2 migration), so a report reads a
 * bounded number of rows into memory whatever the number of events: at most one row per group, and every list is
 * limited by the caller.
 *
 * <p>The bodies are untrusted JSON as producers sent them, so a field is only read as a number when it is one
 * ({@code jsonb_typeof}); an odd event is left out of a sum rather than failing the report. Bodies are read only for
 * version 1 of a type, the version whose shape docs/events.md documents.
 *
 * <p>Rows come back as {@code Object[]} in the order of the select list; the {@code long}, {@code instant} and
 * {@code text} helpers convert the driver's types.
 */
@ApplicationScoped
public class ReportRepository {

    /** A stored gateway request whose body this service knows how to read. */
    private static final String REQUEST = "e.type = 'proxy.request.completed' and e.version = 1";

    /** The findings of request {@code e}, one row each ({@code f.item}, {@code f.pos}); none when not an array. */
    private static final String FINDINGS_OF_E = """
            jsonb_array_elements(case when jsonb_typeof(e.body->'findings') = 'array' then e.body->'findings'
                                      else cast('[]' as jsonb) end) with ordinality as f(item, pos)""";

    private static final String SCORE = number("f.item->'score'");
    private static final String STATUS = number("e.body->'status'");
    private static final String INPUT_TOKENS = number("e.body->'usage'->'inputTokens'");
    private static final String OUTPUT_TOKENS = number("e.body->'usage'->'outputTokens'");

    /** Counts the findings of request {@code e}, all and high-scoring; one row, also for a request without any. */
    private static final String FINDING_COUNTS_OF_E = "(select count(*) as findings, count(*) filter (where "
            + SCORE + " >= :high) as high from " + FINDINGS_OF_E + ") fc";

    /** A JSON value as {@code numeric}, or SQL null when it is not a JSON number. */
    private static String number(String json) {
        return "(case when jsonb_typeof(" + json + ") = 'number' then cast(" + json + " as numeric) end)";
    }

    /** The events of one subject in a period, optionally of one tenant, with their query parameters. */
    public record Scope(String subject, String tenant, ReportPeriod period) {

        String where() {
            return "e.subject = :subject and e.occurred_at >= :from and e.occurred_at < :to"
                    + (tenant == null ? "" : " and e.tenant = :tenant");
        }

        Map<String, Object> parameters() {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("subject", subject);
            p.put("from", period.from().atOffset(ZoneOffset.UTC));
            p.put("to", period.to().atOffset(ZoneOffset.UTC));
            if (tenant != null) {
                p.put("tenant", tenant);
            }
            return p;
        }
    }

    /**
     * Totals of the subject's requests: count, decisions allow/redact/block/none, errors (status ≥ 400), input and
     * output tokens, estimated usages, findings, high-score findings, risky requests (blocked or with a high-score
     * finding). Exactly one row.
     */
    public Uni<Object[]> requestTotals(Scope scope, int highScore) {
        String sql = "select count(*),"
                + " count(*) filter (where e.body->>'decision' = 'allow'),"
                + " count(*) filter (where e.body->>'decision' = 'redact'),"
                + " count(*) filter (where e.body->>'decision' = 'block'),"
                + " count(*) filter (where e.body->>'decision' is null),"
                + " count(*) filter (where " + STATUS + " >= 400),"
                + " sum(" + INPUT_TOKENS + "), sum(" + OUTPUT_TOKENS + "),"
                + " count(*) filter (where e.body->'usage'->>'estimated' = 'true'),"
                + " sum(fc.findings), sum(fc.high),"
                + " count(*) filter (where e.body->>'decision' = 'block' or fc.high > 0)"
                + " from audit_event e cross join lateral " + FINDING_COUNTS_OF_E
                + " where " + scope.where() + " and " + REQUEST;
        return rows(sql, with(scope.parameters(), "high", highScore)).map(rows -> rows.get(0));
    }

    /** Requests by endpoint, upstream and model: count, blocked, errors, input and output tokens; largest first. */
    public Uni<List<Object[]>> requestsByEndpoint(Scope scope, int limit) {
        String sql = "select e.body->>'endpoint', e.body->>'upstream', e.body->>'model', count(*),"
                + " count(*) filter (where e.body->>'decision' = 'block'),"
                + " count(*) filter (where " + STATUS + " >= 400),"
                + " sum(" + INPUT_TOKENS + "), sum(" + OUTPUT_TOKENS + ")"
                + " from audit_event e where " + scope.where() + " and " + REQUEST
                + " group by 1, 2, 3 order by 4 desc, 1, 2, 3 limit :rows";
        return rows(sql, with(scope.parameters(), "rows", limit));
    }

    /** Requests that ended with status ≥ 400, by error code; largest first. */
    public Uni<List<Object[]>> errorsByCode(Scope scope, int limit) {
        String sql = "select e.body->>'errorCode', count(*) from audit_event e"
                + " where " + scope.where() + " and " + REQUEST + " and " + STATUS + " >= 400"
                + " group by 1 order by 2 desc, 1 limit :rows";
        return rows(sql, with(scope.parameters(), "rows", limit));
    }

    /** Findings by category and type: count, high-score, blocked, redacted, max score, last seen; largest first. */
    public Uni<List<Object[]>> findingsByType(Scope scope, int highScore, int limit) {
        String sql = "select f.item->>'category', f.item->>'type', count(*),"
                + " count(*) filter (where " + SCORE + " >= :high),"
                + " count(*) filter (where f.item->>'action' = 'block'),"
                + " count(*) filter (where f.item->>'action' = 'redact'),"
                + " max(" + SCORE + "), max(e.occurred_at)"
                + " from audit_event e cross join lateral " + FINDINGS_OF_E
                + " where " + scope.where() + " and " + REQUEST
                + " group by 1, 2 order by 3 desc, 1, 2 limit :rows";
        Map<String, Object> p = with(scope.parameters(), "high", highScore);
        return rows(sql, with(p, "rows", limit));
    }

    /**
     * The latest findings, newest first: occurred at, tenant, request id, category, type, direction, score, action,
     * location, excerpt, hash.
     */
    public Uni<List<Object[]>> recentFindings(Scope scope, int limit) {
        String sql = "select e.occurred_at, e.tenant, e.body->>'requestId', f.item->>'category', f.item->>'type',"
                + " f.item->>'direction', " + SCORE + ", f.item->>'action', f.item->>'location',"
                + " f.item->>'excerpt', f.item->>'hash'"
                + " from audit_event e cross join lateral " + FINDINGS_OF_E
                + " where " + scope.where() + " and " + REQUEST
                + " order by e.occurred_at desc, e.id desc, f.pos limit :rows";
        return rows(sql, with(scope.parameters(), "rows", limit));
    }

    /**
     * Every event of the scope counted by tenant, type and the body fields the auth, link and token sections break
     * down by: tenant, type, provider, reason, credential kind, outcome, count, first and last occurrence.
     */
    public Uni<List<Object[]>> inventory(Scope scope) {
        String sql = "select e.tenant, e.type,"
                + " case when e.version = 1 and (e.type like 'auth.link.%' or e.type like 'token.%')"
                + " then e.body->>'provider' end,"
                + " case when e.version = 1 and e.type like 'auth.%' then e.body->>'reason' end,"
                + " case when e.version = 1 and e.type like 'auth.credential.%' then e.body->>'credentialKind' end,"
                + " case when e.version = 1 and e.type like 'token.%' then e.body->>'outcome' end,"
                + " count(*), min(e.occurred_at), max(e.occurred_at)"
                + " from audit_event e where " + scope.where()
                + " group by 1, 2, 3, 4, 5, 6";
        return rows(sql, scope.parameters());
    }

    /**
     * The latest policy changes the subject made, newest first: occurred at, tenant, group, category, threshold,
     * action, previous threshold, previous action.
     */
    public Uni<List<Object[]>> recentPolicyChanges(Scope scope, int limit) {
        String sql = "select e.occurred_at, e.tenant, e.body->>'group', e.body->>'category',"
                + " " + number("e.body->'threshold'") + ", e.body->>'action',"
                + " " + number("e.body->'previousThreshold'") + ", e.body->>'previousAction'"
                + " from audit_event e where " + scope.where()
                + " and e.type = 'proxy.policy.changed' and e.version = 1"
                + " order by e.occurred_at desc, e.id desc limit :rows";
        return rows(sql, with(scope.parameters(), "rows", limit));
    }

    /**
     * The latest tool-pinning changes the subject made ({@code proxy.tool_pinning.changed}), newest first: occurred
     * at, tenant, entry, approved ({@code true}, {@code false} or null), mode, previous mode.
     */
    public Uni<List<Object[]>> recentToolPinningChanges(Scope scope, int limit) {
        String sql = "select e.occurred_at, e.tenant, e.body->>'entry',"
                + " case when jsonb_typeof(e.body->'approved') = 'boolean' then e.body->>'approved' end,"
                + " e.body->>'mode', e.body->>'previousMode'"
                + " from audit_event e where " + scope.where()
                + " and e.type = 'proxy.tool_pinning.changed' and e.version = 1"
                + " order by e.occurred_at desc, e.id desc limit :rows";
        return rows(sql, with(scope.parameters(), "rows", limit));
    }

    /**
     * One page of the subjects seen in a period, riskiest first: tenant, subject, requests, blocked, findings,
     * high-score findings, risky requests, last seen, and the number of subjects on all pages.
     */
    public Uni<List<Object[]>> users(ReportPeriod period, String tenant, int highScore, int limit, int offset) {
        String sql = "with per_user as (select e.tenant, e.subject,"
                + " count(*) filter (where r.request) as requests,"
                + " count(*) filter (where r.request and e.body->>'decision' = 'block') as blocked,"
                + " coalesce(sum(fc.findings), 0) as findings, coalesce(sum(fc.high), 0) as high,"
                + " count(*) filter (where r.request and (e.body->>'decision' = 'block' or fc.high > 0)) as risky,"
                + " max(e.occurred_at) as last_seen"
                + " from audit_event e"
                + " cross join lateral (select " + REQUEST + " as request) r"
                + " cross join lateral (select count(*) as findings, count(*) filter (where " + SCORE
                + " >= :high) as high from jsonb_array_elements(case when r.request"
                + " and jsonb_typeof(e.body->'findings') = 'array' then e.body->'findings'"
                + " else cast('[]' as jsonb) end) as f(item)) fc"
                + " where e.subject is not null and e.occurred_at >= :from and e.occurred_at < :to"
                + (tenant == null ? "" : " and e.tenant = :tenant")
                + " group by e.tenant, e.subject)"
                + " select tenant, subject, requests, blocked, findings, high, risky, last_seen, count(*) over ()"
                + " from per_user order by risky desc, cast(risky as numeric) / nullif(requests, 0) desc nulls last,"
                + " requests desc, tenant, subject limit :rows offset :offset";
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("from", period.from().atOffset(ZoneOffset.UTC));
        p.put("to", period.to().atOffset(ZoneOffset.UTC));
        if (tenant != null) {
            p.put("tenant", tenant);
        }
        p.put("high", highScore);
        p.put("rows", limit);
        p.put("offset", offset);
        return rows(sql, p);
    }

    /** The number of subjects seen in a period, for a page past the last one, which cannot count them itself. */
    public Uni<Long> countUsers(ReportPeriod period, String tenant) {
        String sql = "select count(*), 0 from (select distinct e.tenant, e.subject from audit_event e"
                + " where e.subject is not null and e.occurred_at >= :from and e.occurred_at < :to"
                + (tenant == null ? "" : " and e.tenant = :tenant") + ") s";
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("from", period.from().atOffset(ZoneOffset.UTC));
        p.put("to", period.to().atOffset(ZoneOffset.UTC));
        if (tenant != null) {
            p.put("tenant", tenant);
        }
        return rows(sql, p).map(rows -> asLong(rows.get(0)[0]));
    }

    private static Uni<List<Object[]>> rows(String sql, Map<String, Object> parameters) {
        return Panache.getSession().chain(session -> {
            var query = session.createNativeQuery(sql, Object[].class);
            parameters.forEach(query::setParameter);
            return query.getResultList();
        });
    }

    private static Map<String, Object> with(Map<String, Object> parameters, String name, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(parameters);
        copy.put(name, value);
        return copy;
    }

    /** A count or sum as a {@code long}: 0 for SQL null, saturated beyond the range of {@code long}. */
    public static long asLong(Object value) {
        if (value == null) {
            return 0;
        }
        if (value instanceof BigDecimal d) {
            return d.max(BigDecimal.valueOf(Long.MIN_VALUE)).min(BigDecimal.valueOf(Long.MAX_VALUE)).longValue();
        }
        return ((Number) value).longValue();
    }

    /** A score or threshold as an {@code Integer}, or {@code null}; saturated beyond the range of {@code int}. */
    public static Integer asInteger(Object value) {
        if (value == null) {
            return null;
        }
        long n = asLong(value);
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, n));
    }

    /** A {@code timestamptz} as an {@link Instant}, or {@code null}. */
    public static Instant asInstant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        if (value instanceof java.time.ZonedDateTime z) {
            return z.toInstant();
        }
        if (value instanceof java.time.LocalDateTime l) {
            return l.toInstant(ZoneOffset.UTC);
        }
        if (value instanceof java.util.Date d) {
            return d.toInstant();
        }
        throw new IllegalStateException("Unexpected timestamp type " + value.getClass().getName());
    }

    /** A text column as a {@code String}, or {@code null}. */
    public static String asText(Object value) {
        return value == null ? null : value.toString();
    }
}
