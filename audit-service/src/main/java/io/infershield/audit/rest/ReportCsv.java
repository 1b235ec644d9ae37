package io.infershield.audit.rest;

import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import io.infershield.audit.service.UserReport;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link UserReport} as CSV: RFC 4180 (CRLF line ends, quoted cells where needed), UTF-8.
 *
 * <p><b>Layout, and why.</b> The CSV is the report itself, one section per part, not a flat list of the period's
 * events. An auditor files a compliance report as evidence and reads it in a spreadsheet: the figures they sign off
 * (requests, decisions, findings by type, credentials, links, vault accesses, policy changes, the risk summary) must
 * be the same figures as the JSON and the printable page, which a flat event list would leave them to recompute. The
 * raw events stay available from {@code GET /api/events}, and a flat list of a busy developer's month can be 100,000
 * rows, while a report is bounded. Each section starts with its own header row whose first cell is {@code section},
 * and every data row starts with the section's name, so filtering the first column in a spreadsheet isolates one
 * part; sections are separated by an empty line. The first section holds every single figure as
 * {@code section,name,value}; the others are tables.
 *
 * <p><b>Formula injection.</b> Stored text (subject, tenant, excerpt, location, model…) comes from events, and a
 * spreadsheet would run a cell starting with {@code =}, {@code +}, {@code -}, {@code @}, a tab or a carriage return as
 * a formula (OWASP "CSV Injection"). Such text cells get a leading {@code '}, which spreadsheets show as text and
 * which the reader can see; numbers written by this class are never prefixed. Jackson then quotes any cell holding a
 * comma, a quote or a line break, doubling quotes.
 */
final class ReportCsv {

    static final String MEDIA_TYPE = "text/csv";

    // Strict: quote a cell only when it holds a separator, a quote or a line break, not by Jackson's looser guess.
    private static final CsvMapper CSV = CsvMapper.builder().enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING)
            .build();

    private final List<Object[]> rows = new ArrayList<>();

    private ReportCsv() {
    }

    /** The whole report as CSV text. */
    static String write(UserReport report) {
        ReportCsv csv = new ReportCsv();
        csv.summary(report);
        csv.tables(report);
        StringWriter out = new StringWriter();
        try (SequenceWriter writer = CSV.writerFor(Object[].class).with(CSV.schema().withLineSeparator("\r\n"))
                .writeValues(out)) {
            for (Object[] row : csv.rows) {
                writer.write(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private void summary(UserReport r) {
        header("name", "value");
        row("report", "subject", text(r.subject()));
        row("report", "tenants", text(String.join(" ", r.tenants())));
        row("report", "from", r.period().from());
        row("report", "to_exclusive", r.period().to());
        row("report", "generated_at", r.generatedAt());

        UserReport.Risk risk = r.risk();
        row("risk", "high_score_threshold", risk.highScoreThreshold());
        row("risk", "requests", risk.requests());
        row("risk", "blocked_requests", risk.blockedRequests());
        row("risk", "high_score_findings", risk.highScoreFindings());
        row("risk", "risky_requests", risk.riskyRequests());
        row("risk", "blocked_per_1000_requests", risk.blockedPer1000Requests());
        row("risk", "high_score_findings_per_1000_requests", risk.highScoreFindingsPer1000Requests());
        row("risk", "risky_per_1000_requests", risk.riskyPer1000Requests());
        row("risk", "bruteforce_blocked", risk.bruteforceBlocked());
        row("risk", "refresh_token_reuse", risk.refreshTokenReuse());
        row("risk", "vault_tampered", risk.vaultTampered());

        UserReport.Activity a = r.activity();
        row("activity", "requests", a.requests());
        row("activity", "decision_allow", a.decisions().allow());
        row("activity", "decision_redact", a.decisions().redact());
        row("activity", "decision_block", a.decisions().block());
        row("activity", "decision_none", a.decisions().none());
        row("activity", "errors", a.errors());
        row("activity", "input_tokens", a.tokens().input());
        row("activity", "output_tokens", a.tokens().output());
        row("activity", "estimated_usage_requests", a.tokens().estimatedRequests());
        row("activity", "first_seen", a.firstSeen());
        row("activity", "last_seen", a.lastSeen());

        row("findings", "total", r.findings().total());
        row("findings", "high_score", r.findings().highScore());

        UserReport.Credentials c = r.credentials();
        row("credentials", "devices_approved", c.devicesApproved());
        row("credentials", "devices_denied", c.devicesDenied());
        row("credentials", "devices_expired", c.devicesExpired());
        row("credentials", "issued", c.issued());
        byKey("credentials", "issued_", c.issuedByKind());
        row("credentials", "refreshed", c.refreshed());
        row("credentials", "revoked", c.revoked());
        byKey("credentials", "revoked_", c.revokedByReason());
        row("credentials", "bruteforce_blocked", c.bruteforceBlocked());

        row("policy_changes", "total", r.policyChanges().total());
        row("tool_pinning_changes", "total", r.toolPinningChanges().total());
    }

    private void tables(UserReport r) {
        header("endpoint", "upstream", "model", "requests", "blocked", "errors", "input_tokens", "output_tokens");
        for (UserReport.EndpointUse e : r.activity().byEndpoint()) {
            row("endpoint", text(e.endpoint()), text(e.upstream()), text(e.model()), e.requests(), e.blocked(),
                    e.errors(), e.inputTokens(), e.outputTokens());
        }
        header("error_code", "requests");
        for (UserReport.CodeCount e : r.activity().errorsByCode()) {
            row("error", text(e.code()), e.count());
        }
        header("category", "type", "count", "high_score", "blocked", "redacted", "max_score", "last_seen");
        for (UserReport.FindingType f : r.findings().byType()) {
            row("finding_type", text(f.category()), text(f.type()), f.count(), f.highScore(), f.blocked(),
                    f.redacted(), f.maxScore(), f.lastSeen());
        }
        header("occurred_at", "tenant", "request_id", "category", "type", "direction", "score", "action", "location",
                "excerpt", "hash");
        for (UserReport.RecentFinding f : r.findings().recent()) {
            row("finding", f.occurredAt(), text(f.tenant()), text(f.requestId()), text(f.category()), text(f.type()),
                    text(f.direction()), f.score(), text(f.action()), text(f.location()), text(f.excerpt()),
                    text(f.hash()));
        }
        header("provider", "started", "linked", "denied", "expired", "failed", "cancelled", "deleted");
        for (UserReport.ProviderLinks l : r.providerLinks()) {
            row("provider_link", text(l.provider()), l.started(), l.linked(), l.denied(), l.expired(), l.failed(),
                    l.cancelled(), l.deleted());
        }
        header("provider", "stored", "reads", "refreshes", "rotations", "revocations", "links_broken",
                "refresh_failures", "unsuccessful", "tampered");
        for (UserReport.VaultAccess v : r.tokenVault()) {
            row("token_vault", text(v.provider()), v.stored(), v.reads(), v.refreshes(), v.rotations(),
                    v.revocations(), v.linksBroken(), v.refreshFailures(), v.unsuccessful(), v.tampered());
        }
        header("occurred_at", "tenant", "group", "category", "threshold", "action", "previous_threshold",
                "previous_action");
        for (UserReport.PolicyChange p : r.policyChanges().recent()) {
            row("policy_change", p.occurredAt(), text(p.tenant()), text(p.group()), text(p.category()), p.threshold(),
                    text(p.action()), p.previousThreshold(), text(p.previousAction()));
        }
        header("occurred_at", "tenant", "entry", "approved", "mode", "previous_mode");
        for (UserReport.ToolPinningChange t : r.toolPinningChanges().recent()) {
            row("tool_pinning_change", t.occurredAt(), text(t.tenant()), text(t.entry()), t.approved(),
                    text(t.mode()), text(t.previousMode()));
        }
        header("type", "count");
        for (UserReport.TypeCount t : r.eventsByType()) {
            row("event_type", text(t.type()), t.count());
        }
    }

    private void byKey(String section, String prefix, Map<String, Long> counts) {
        counts.forEach((key, count) -> row(section, text(prefix + key), count));
    }

    private void header(String... columns) {
        if (!rows.isEmpty()) {
            rows.add(new Object[] {""});
        }
        Object[] row = new Object[columns.length + 1];
        row[0] = "section";
        System.arraycopy(columns, 0, row, 1, columns.length);
        rows.add(row);
    }

    /**
     * One data row; numbers and instants are written as they are, text must come through {@link #text}. A
     * {@code null} becomes an empty cell (Jackson would drop it and shift the cells after it).
     */
    private void row(Object... cells) {
        rows.add(Arrays.stream(cells).map(c -> c == null ? "" : c instanceof Instant i ? i.toString() : c).toArray());
    }

    /** Stored text, made inert for spreadsheets (see the class comment); {@code null} stays an empty cell. */
    static String text(String value) {
        if (value == null || value.isEmpty()) {
            return value;
        }
        char first = value.charAt(0);
        return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r'
                ? "'" + value : value;
    }
}
