package io.infershield.audit.rest;

import io.infershield.audit.config.AuditConfig;
import io.infershield.audit.service.ReportPeriod;
import io.infershield.audit.service.ReportService;
import io.infershield.audit.service.UserReport;
import io.infershield.audit.service.UsersOverview;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Per-user compliance reports for security officers and administrators (docs/architecture.md, "Compliance reports").
 * Parameters are validated like {@code /api/events}' ({@link QueryParams}); errors are problem details.
 */
@Path("/api/reports/users")
@RolesAllowed({"admin", "ciso"})
public class ReportResource {

    private static final DateTimeFormatter FILE_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final ReportService service;
    private final AuditConfig config;
    private final SecurityIdentity identity;
    private final Clock clock = Clock.systemUTC();

    ReportResource(ReportService service, AuditConfig config, SecurityIdentity identity) {
        this.service = service;
        this.config = config;
        this.identity = identity;
    }

    /**
     * The subjects seen in the period (any event about them), riskiest first, one page of {@code limit} (as
     * {@code /api/events}: default {@code audit.default-limit}, at most {@code audit.max-limit}) after {@code offset}.
     */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<UsersOverview> users(@RestQuery String from, @RestQuery String to, @RestQuery String tenant,
            @RestQuery String limit, @RestQuery String offset) {
        ReportPeriod period = QueryParams.period(from, to, config.reports(), clock);
        return service.users(period, QueryParams.text("tenant", tenant), QueryParams.limit(limit, config),
                QueryParams.offset(offset));
    }

    /**
     * The compliance report on {@code subject} for the period, as JSON, or as CSV ({@link ReportCsv}) when
     * {@code format=csv} or when the {@code Accept} header prefers {@code text/csv}; {@code format} wins over
     * {@code Accept}, so that a plain link can download the CSV. A subject without events gets a report of zeros
     * (200), not 404: "no activity" is an answer an auditor needs, and the store cannot tell a developer who did
     * nothing from one it never heard of.
     */
    @GET
    @Path("{subject}")
    @Produces({MediaType.APPLICATION_JSON, ReportCsv.MEDIA_TYPE})
    public Uni<Response> report(@RestPath String subject, @RestQuery String from, @RestQuery String to,
            @RestQuery String tenant, @RestQuery String format, HttpHeaders headers) {
        String who = QueryParams.text("subject", subject);
        ReportPeriod period = QueryParams.period(from, to, config.reports(), clock);
        String tenantFilter = QueryParams.text("tenant", tenant);
        boolean csv = csv(format, headers);
        return service.userReport(who, tenantFilter, period).map(report -> {
            service.generated(report, csv ? "csv" : "json", identity.getPrincipal().getName());
            if (!csv) {
                return Response.ok(report, MediaType.APPLICATION_JSON_TYPE).build();
            }
            return Response.ok(ReportCsv.write(report), ReportCsv.MEDIA_TYPE + "; charset=UTF-8")
                    .header("Content-Disposition", "attachment; filename=\"" + fileName(report) + "\"")
                    .build();
        });
    }

    private static boolean csv(String format, HttpHeaders headers) {
        if (format != null && !format.isEmpty()) {
            return switch (format) {
                case "json" -> false;
                case "csv" -> true;
                default -> throw new InvalidParameterException("format must be json or csv.");
            };
        }
        // Sorted by preference; the first type that names one of the two decides, and */* means JSON.
        for (MediaType accepted : headers.getAcceptableMediaTypes()) {
            if (!accepted.isWildcardType() && accepted.isCompatible(MediaType.valueOf(ReportCsv.MEDIA_TYPE))) {
                return true;
            }
            if (accepted.isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
                return false;
            }
        }
        return false;
    }

    /**
     * {@code infershield-report-<subject>-<from>-<to>.csv}, the subject reduced to letters, digits, dot, dash and
     * underscore so that nothing it holds can break out of the header or name a path.
     */
    static String fileName(UserReport report) {
        String subject = report.subject().replaceAll("[^A-Za-z0-9._-]", "_");
        if (subject.length() > 64) {
            subject = subject.substring(0, 64);
        }
        return "infershield-report-" + subject + "-" + FILE_TIME.format(report.period().from()) + "-"
                + FILE_TIME.format(report.period().to()) + ".csv";
    }
}
