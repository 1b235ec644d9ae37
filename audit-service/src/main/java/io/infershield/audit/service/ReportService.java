package io.infershield.audit.service;

import io.infershield.audit.config.AuditConfig;
import io.infershield.audit.repository.ReportRepository;
import io.infershield.audit.repository.ReportRepository.Scope;
import io.infershield.audit.service.UserReport.Activity;
import io.infershield.audit.service.UserReport.CodeCount;
import io.infershield.audit.service.UserReport.Credentials;
import io.infershield.audit.service.UserReport.Decisions;
import io.infershield.audit.service.UserReport.EndpointUse;
import io.infershield.audit.service.UserReport.FindingType;
import io.infershield.audit.service.UserReport.Findings;
import io.infershield.audit.service.UserReport.PolicyChange;
import io.infershield.audit.service.UserReport.PolicyChanges;
import io.infershield.audit.service.UserReport.ProviderLinks;
import io.infershield.audit.service.UserReport.RecentFinding;
import io.infershield.audit.service.UserReport.Risk;
import io.infershield.audit.service.UserReport.Tokens;
import io.infershield.audit.service.UserReport.ToolPinningChange;
import io.infershield.audit.service.UserReport.ToolPinningChanges;
import io.infershield.audit.service.UserReport.TypeCount;
import io.infershield.audit.service.UserReport.VaultAccess;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

import static io.infershield.audit.repository.ReportRepository.asInstant;
import static io.infershield.audit.repository.ReportRepository.asInteger;
import static io.infershield.audit.repository.ReportRepository.asLong;
import static io.infershield.audit.repository.ReportRepository.asText;

/**
 * Builds the per-user compliance reports and the users overview from the database's aggregates, and records each
 * report it hands out: an INFO log line (who asked for whom, which period and format; nothing from the events) and the
 * counter {@code infershield_audit_reports_generated_total{format}}. Audit-service publishes no events of its own, so
 * the log and the metric are the trail of who looked at whose activity.
 */
@ApplicationScoped
public class ReportService {

    private static final Logger LOG = Logger.getLogger(ReportService.class);

    private final ReportRepository repository;
    private final AuditConfig.Reports config;
    private final MeterRegistry meters;

    ReportService(ReportRepository repository, AuditConfig config, MeterRegistry meters) {
        this.repository = repository;
        this.config = config.reports();
        this.meters = meters;
        // Registered up front so that each format's series exists (at 0) before the first report.
        FORMATS.forEach(this::counter);
    }

    /** The formats a report is handed out in, the values of the counter's {@code format} tag. */
    public static final List<String> FORMATS = List.of("json", "csv", "html");

    private Counter counter(String format) {
        return meters.counter("infershield.audit.reports.generated", "format", format);
    }

    /**
     * The report on {@code subject} for {@code period}, over every tenant or only {@code tenant}. A subject without
     * events gets a report of zeros: an auditor asking about a developer who did nothing learns exactly that.
     */
    @WithSession
    public Uni<UserReport> userReport(String subject, String tenant, ReportPeriod period) {
        Scope scope = new Scope(subject, tenant, period);
        int high = config.highScore();
        int breakdown = config.breakdownRows();
        int recent = config.recentRows();
        Instant generatedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        // One session serves one query at a time, so the queries run one after the other.
        Parts parts = new Parts();
        return repository.requestTotals(scope, high).invoke(r -> parts.totals = r)
                .chain(() -> repository.requestsByEndpoint(scope, breakdown)).invoke(r -> parts.byEndpoint = r)
                .chain(() -> repository.errorsByCode(scope, breakdown)).invoke(r -> parts.errors = r)
                .chain(() -> repository.findingsByType(scope, high, breakdown)).invoke(r -> parts.findingTypes = r)
                .chain(() -> repository.recentFindings(scope, recent)).invoke(r -> parts.recentFindings = r)
                .chain(() -> repository.inventory(scope)).invoke(r -> parts.inventory = r)
                .chain(() -> repository.recentPolicyChanges(scope, recent)).invoke(r -> parts.policyChanges = r)
                .chain(() -> repository.recentToolPinningChanges(scope, recent)).invoke(r -> parts.toolPinning = r)
                .map(ignored -> parts.report(subject, period, generatedAt, high));
    }

    /** One page of the subjects seen in {@code period}, riskiest first (see {@link UsersOverview.UserRow}). */
    @WithSession
    public Uni<UsersOverview> users(ReportPeriod period, String tenant, int limit, int offset) {
        Instant generatedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return repository.users(period, tenant, config.highScore(), limit, offset).chain(rows -> {
            List<UsersOverview.UserRow> users = rows.stream().map(ReportService::userRow).toList();
            Uni<Long> total = rows.isEmpty()
                    ? (offset == 0 ? Uni.createFrom().item(0L) : repository.countUsers(period, tenant))
                    : Uni.createFrom().item(asLong(rows.get(0)[8]));
            return total.map(t -> new UsersOverview(period, generatedAt, t, offset, limit, users));
        });
    }

    /**
     * Records that {@code report} was handed to {@code requester} as {@code format} ({@code json}, {@code csv} or
     * {@code html}). Subject and requester are identifiers without control characters (the REST layer refuses them in
     * a subject; a principal name is sanitised here), so they cannot forge log lines.
     */
    public void generated(UserReport report, String format, String requester) {
        counter(format).increment();
        LOG.infof("Compliance report on subject '%s' (tenants %s, %s to %s) generated as %s for '%s'",
                report.subject(), report.tenants().isEmpty() ? "-" : String.join(",", report.tenants()),
                report.period().from(), report.period().to(), format, printable(requester));
    }

    private static String printable(String value) {
        if (value == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(value.length());
        value.codePoints().limit(256).forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return out.toString();
    }

    private static UsersOverview.UserRow userRow(Object[] r) {
        long requests = asLong(r[2]);
        long risky = asLong(r[6]);
        return new UsersOverview.UserRow(asText(r[0]), asText(r[1]), requests, asLong(r[3]), asLong(r[4]),
                asLong(r[5]), risky, UserReport.per1000(risky, requests), asInstant(r[7]));
    }

    /** The query results of one report, folded into its sections once all have arrived. */
    private static final class Parts {
        Object[] totals;
        List<Object[]> byEndpoint;
        List<Object[]> errors;
        List<Object[]> findingTypes;
        List<Object[]> recentFindings;
        List<Object[]> inventory;
        List<Object[]> policyChanges;
        List<Object[]> toolPinning;

        UserReport report(String subject, ReportPeriod period, Instant generatedAt, int high) {
            long requests = asLong(totals[0]);
            long blocked = asLong(totals[3]);
            long findings = asLong(totals[9]);
            long highFindings = asLong(totals[10]);
            long risky = asLong(totals[11]);

            TreeSet<String> tenants = new TreeSet<>();
            Map<String, Long> byType = new TreeMap<>();
            Map<String, long[]> links = new TreeMap<>(Comparator.nullsFirst(Comparator.naturalOrder()));
            Map<String, long[]> vault = new TreeMap<>(Comparator.nullsFirst(Comparator.naturalOrder()));
            Map<String, Long> issuedByKind = new TreeMap<>();
            Map<String, Long> revokedByReason = new TreeMap<>();
            Instant firstSeen = null;
            Instant lastSeen = null;
            for (Object[] r : inventory) {
                tenants.add(asText(r[0]));
                String type = asText(r[1]);
                String provider = asText(r[2]);
                String reason = asText(r[3]);
                String kind = asText(r[4]);
                String outcome = asText(r[5]);
                long count = asLong(r[6]);
                Instant first = asInstant(r[7]);
                Instant last = asInstant(r[8]);
                firstSeen = firstSeen == null || first.isBefore(firstSeen) ? first : firstSeen;
                lastSeen = lastSeen == null || last.isAfter(lastSeen) ? last : lastSeen;
                byType.merge(type, count, Long::sum);
                if ("auth.credential.issued".equals(type)) {
                    issuedByKind.merge(Objects.toString(kind, "unknown"), count, Long::sum);
                } else if ("auth.credential.revoked".equals(type)) {
                    revokedByReason.merge(Objects.toString(reason, "unknown"), count, Long::sum);
                } else if (type.startsWith("auth.link.")) {
                    int i = LINK_TYPES.indexOf(type);
                    if (i >= 0) {
                        links.computeIfAbsent(provider, p -> new long[LINK_TYPES.size()])[i] += count;
                    }
                } else if (type.startsWith("token.")) {
                    long[] v = vault.computeIfAbsent(provider, p -> new long[VAULT_FIELDS]);
                    int i = VAULT_TYPES.indexOf(type);
                    if (i >= 0) {
                        v[i] += count;
                    }
                    boolean failed = outcome != null && !"success".equals(outcome);
                    if (failed) {
                        v[UNSUCCESSFUL] += count;
                    }
                    if ((failed && "token.refreshed".equals(type)) || "token.link_broken".equals(type)) {
                        v[REFRESH_FAILURES] += count;
                    }
                    if ("tampered".equals(outcome)) {
                        v[TAMPERED] += count;
                    }
                }
            }

            List<CodeCount> errorsByCode = errors.stream()
                    .map(r -> new CodeCount(asText(r[0]), asLong(r[1]))).toList();
            List<EndpointUse> endpoints = byEndpoint.stream()
                    .map(r -> new EndpointUse(asText(r[0]), asText(r[1]), asText(r[2]), asLong(r[3]), asLong(r[4]),
                            asLong(r[5]), asLong(r[6]), asLong(r[7])))
                    .toList();
            Activity activity = new Activity(requests,
                    new Decisions(asLong(totals[1]), asLong(totals[2]), blocked, asLong(totals[4])),
                    asLong(totals[5]), errorsByCode, new Tokens(asLong(totals[6]), asLong(totals[7]),
                    asLong(totals[8])), endpoints, firstSeen, lastSeen);

            List<FindingType> types = findingTypes.stream()
                    .map(r -> new FindingType(asText(r[0]), asText(r[1]), asLong(r[2]), asLong(r[3]), asLong(r[4]),
                            asLong(r[5]), asInteger(r[6]), asInstant(r[7])))
                    .toList();
            List<RecentFinding> recent = recentFindings.stream()
                    .map(r -> new RecentFinding(asInstant(r[0]), asText(r[1]), asText(r[2]), asText(r[3]),
                            asText(r[4]), asText(r[5]), asInteger(r[6]), asText(r[7]), asText(r[8]), asText(r[9]),
                            asText(r[10])))
                    .toList();

            Credentials credentials = new Credentials(count(byType, "auth.device.approved"),
                    count(byType, "auth.device.denied"), count(byType, "auth.device.expired"),
                    count(byType, "auth.credential.issued"), issuedByKind, count(byType, "auth.credential.refreshed"),
                    count(byType, "auth.credential.revoked"), revokedByReason, count(byType, "auth.bruteforce.blocked"));

            List<ProviderLinks> providerLinks = new ArrayList<>();
            links.forEach((provider, c) -> providerLinks.add(
                    new ProviderLinks(provider, c[0], c[1], c[2], c[3], c[4], c[5], c[6])));
            List<VaultAccess> tokenVault = new ArrayList<>();
            vault.forEach((provider, v) -> tokenVault.add(new VaultAccess(provider, v[0], v[1], v[2], v[3], v[4], v[5],
                    v[REFRESH_FAILURES], v[UNSUCCESSFUL], v[TAMPERED])));
            long tampered = tokenVault.stream().mapToLong(VaultAccess::tampered).sum();

            List<PolicyChange> changes = policyChanges.stream()
                    .map(r -> new PolicyChange(asInstant(r[0]), asText(r[1]), asText(r[2]), asText(r[3]),
                            asInteger(r[4]), asText(r[5]), asInteger(r[6]), asText(r[7])))
                    .toList();

            List<ToolPinningChange> pinning = toolPinning.stream()
                    .map(r -> new ToolPinningChange(asInstant(r[0]), asText(r[1]), asText(r[2]),
                            r[3] == null ? null : Boolean.valueOf(asText(r[3])), asText(r[4]), asText(r[5])))
                    .toList();

            Risk risk = new Risk(high, requests, blocked, highFindings, risky, UserReport.per1000(blocked, requests),
                    UserReport.per1000(highFindings, requests), UserReport.per1000(risky, requests),
                    credentials.bruteforceBlocked(), revokedByReason.getOrDefault("refresh_token_reused", 0L),
                    tampered);

            List<TypeCount> eventsByType = byType.entrySet().stream()
                    .map(e -> new TypeCount(e.getKey(), e.getValue())).toList();
            return new UserReport(subject, List.copyOf(tenants), period, generatedAt, activity,
                    new Findings(findings, highFindings, types, recent), credentials, providerLinks, tokenVault,
                    new PolicyChanges(count(byType, "proxy.policy.changed"), changes),
                    new ToolPinningChanges(count(byType, "proxy.tool_pinning.changed"), pinning), risk, eventsByType);
        }

        private static long count(Map<String, Long> byType, String type) {
            return byType.getOrDefault(type, 0L);
        }
    }

    /** The link outcomes in the order of {@link ProviderLinks}' counts. */
    private static final List<String> LINK_TYPES = List.of("auth.link.started", "auth.link.linked",
            "auth.link.denied", "auth.link.expired", "auth.link.failed", "auth.link.cancelled", "auth.link.deleted");
    /** The vault accesses in the order of {@link VaultAccess}' first counts. */
    private static final List<String> VAULT_TYPES = List.of("token.stored", "token.read", "token.refreshed",
            "token.rotated", "token.revoked", "token.link_broken");
    private static final int REFRESH_FAILURES = VAULT_TYPES.size();
    private static final int UNSUCCESSFUL = REFRESH_FAILURES + 1;
    private static final int TAMPERED = UNSUCCESSFUL + 1;
    private static final int VAULT_FIELDS = TAMPERED + 1;
}
