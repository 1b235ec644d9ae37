package io.infershield.audit.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.infershield.audit.client.UserAdmin;
import io.infershield.audit.config.AuditConfig;
import io.infershield.audit.service.AuditEventService;
import io.infershield.audit.service.EventFilter;
import io.infershield.audit.service.ReportPeriod;
import io.infershield.audit.service.ReportService;
import io.infershield.audit.service.UserReport;
import io.infershield.audit.service.UsersOverview;
import io.infershield.events.EventEnvelope;
import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The dashboard, for people signed in through Keycloak: the latest events as an HTML table, and, for security officers
 * and administrators, the users overview and the printable per-user compliance report. The report pages take the same
 * parameters and roles as {@code /api/reports} ({@link ReportResource}); SREs see the latest events but not who did what.
 */
@Path("/")
public class DashboardResource {

    /** The roles that may read per-user reports, here and in {@link ReportResource}. */
    private static final List<String> REPORT_ROLES = List.of("admin", "ciso");

    @CheckedTemplate
    static class Templates {
        // Qute escapes every {expression} in an .html template, so stored values cannot inject markup.
        static native TemplateInstance dashboard(String user, boolean canReport, List<Row> rows);

        static native TemplateInstance users(String user, UsersOverview overview, int highScore,
                List<UserLink> rows, List<Link> periods, String previous, String next);

        static native TemplateInstance userReport(String user, UserReport report, String csv, String json,
                List<Link> periods, List<Count> issuedByKind, List<Count> revokedByReason, Manage manage);
    }

    /**
     * One table row.
     *
     * @param status     the {@code status} field of the body when it has one (e.g. the HTTP status of a proxied
     *                   request), else empty
     * @param reportPath the path of the subject's report page, or empty when there is no subject
     */
    public record Row(String occurredAt, String type, String subject, String tenant, String status,
            String reportPath) {
    }

    /** A row of the users overview and the path of its report page. */
    public record UserLink(UsersOverview.UserRow user, String reportPath) {
    }

    /** A link: its text and its target. */
    public record Link(String label, String href) {
    }

    /** A named count, for the maps of the report. */
    public record Count(String name, long count) {
    }

    /**
     * The user management block of a report page, for administrators only (null for others): the user's state as
     * auth-service reports it (null when it cannot be read), the paths the disable and enable forms post to, and the
     * outcome of the last action ({@code disabled}, {@code enabled}, {@code pending}: disabled with the revocation of
     * provider tokens still owed), or empty.
     */
    public record Manage(UserAdmin.State state, String disablePath, String enablePath, String done) {
    }

    private final AuditEventService events;
    private final ReportService reports;
    private final UserAdmin userAdmin;
    private final AuditConfig config;
    private final SecurityIdentity identity;
    private final Clock clock = Clock.systemUTC();

    DashboardResource(AuditEventService events, ReportService reports, UserAdmin userAdmin, AuditConfig config,
            SecurityIdentity identity) {
        this.events = events;
        this.reports = reports;
        this.userAdmin = userAdmin;
        this.config = config;
        this.identity = identity;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    @RolesAllowed({"admin", "ciso", "sre"})
    public Uni<TemplateInstance> dashboard() {
        String user = identity.getPrincipal().getName();
        boolean canReport = REPORT_ROLES.stream().anyMatch(identity::hasRole);
        return events.search(EventFilter.latest(config.dashboardRows()))
                .map(latest -> Templates.dashboard(user, canReport,
                        latest.stream().map(DashboardResource::row).toList()));
    }

    /** The users overview of {@code GET /api/reports/users}, as a page; {@code from}, {@code to}, {@code tenant}. */
    @GET
    @Path("reports/users")
    @Produces(MediaType.TEXT_HTML)
    @RolesAllowed({"admin", "ciso"})
    public Uni<TemplateInstance> users(@RestQuery String from, @RestQuery String to, @RestQuery String tenant,
            @RestQuery String offset) {
        ReportPeriod period = QueryParams.period(from, to, config.reports(), clock);
        String tenantFilter = QueryParams.text("tenant", tenant);
        int skip = QueryParams.offset(offset);
        int limit = config.defaultLimit();
        return reports.users(period, tenantFilter, limit, skip).map(overview -> {
            List<UserLink> rows = overview.users().stream()
                    .map(u -> new UserLink(u, reportPath(u.subject(), u.tenant(), period)))
                    .toList();
            String previous = skip == 0 ? "" : usersPath(period, tenantFilter, Math.max(0, skip - limit));
            String next = skip + rows.size() < overview.total() ? usersPath(period, tenantFilter, skip + limit) : "";
            return Templates.users(identity.getPrincipal().getName(), overview, config.reports().highScore(), rows,
                    presets("/reports/users", Map.of()), previous, next);
        });
    }

    /** The compliance report of {@code GET /api/reports/users/{subject}}, as a printable page. */
    @GET
    @Path("reports/users/{subject}")
    @Produces(MediaType.TEXT_HTML)
    @RolesAllowed({"admin", "ciso"})
    public Uni<TemplateInstance> userReport(@RestPath String subject, @RestQuery String from, @RestQuery String to,
            @RestQuery String tenant, @RestQuery String done) {
        String who = QueryParams.text("subject", subject);
        ReportPeriod period = QueryParams.period(from, to, config.reports(), clock);
        String tenantFilter = QueryParams.text("tenant", tenant);
        String requester = identity.getPrincipal().getName();
        Uni<Manage> manage = !identity.hasRole(MANAGE_ROLE) ? Uni.createFrom().nullItem()
                : userAdmin.state(accessToken(), who).map(state -> new Manage(state,
                        formPath(who, "disable"), formPath(who, "enable"),
                        done != null && DONE.contains(done) ? done : ""));
        return manage.chain(management -> reports.userReport(who, tenantFilter, period).map(report -> {
            reports.generated(report, "html", requester);
            Map<String, String> query = periodQuery(period, tenantFilter);
            String api = "/api/reports/users/" + pathSegment(who);
            Map<String, String> csvQuery = new LinkedHashMap<>(query);
            csvQuery.put("format", "csv");
            Map<String, String> tenantOnly = tenantFilter == null ? Map.of() : Map.of("tenant", tenantFilter);
            return Templates.userReport(requester, report, api + queryString(csvQuery), api + queryString(query),
                    presets("/reports/users/" + pathSegment(who), tenantOnly),
                    counts(report.credentials().issuedByKind()), counts(report.credentials().revokedByReason()),
                    management);
        }));
    }

    /** The role that may disable and enable users, as auth-service's admin API requires. */
    private static final String MANAGE_ROLE = "admin";
    private static final List<String> DONE = List.of("disabled", "enabled", "pending");

    /**
     * Disables a developer (the form on their report page, guarded by a CSRF token): auth-service revokes every
     * credential and provider token they hold and refuses their sign-ins, on the administrator's own token. Answers
     * 303 to the report page, which shows the outcome; 400, 403 or 502 as problem+json when auth-service refuses or
     * cannot be reached, with nothing changed.
     */
    @POST
    @Path("reports/users/{subject}/disable")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(MANAGE_ROLE)
    public Uni<Response> disable(@RestPath String subject, @RestForm String reason) {
        String who = QueryParams.text("subject", subject);
        return userAdmin.disable(accessToken(), who, reason)
                .map(state -> seeReport(who, state.linksPending() ? "pending" : "disabled"));
    }

    /** Enables a developer again: they sign in anew, nothing revoked comes back. */
    @POST
    @Path("reports/users/{subject}/enable")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(MANAGE_ROLE)
    public Uni<Response> enable(@RestPath String subject) {
        String who = QueryParams.text("subject", subject);
        return userAdmin.enable(accessToken(), who).map(state -> seeReport(who, "enabled"));
    }

    /** The signed-in administrator's access token: from the session, or the bearer token of an API call. */
    private String accessToken() {
        AccessTokenCredential token = identity.getCredential(AccessTokenCredential.class);
        if (token == null) {
            throw new UserAdmin.Unavailable(403, "No access token of yours is at hand to act on auth-service with.");
        }
        return token.getToken();
    }

    private static String formPath(String subject, String action) {
        return "/reports/users/" + pathSegment(subject) + "/" + action;
    }

    private static Response seeReport(String subject, String done) {
        return Response.seeOther(URI.create("/reports/users/" + pathSegment(subject) + queryString(Map.of("done", done))))
                .build();
    }

    private static Row row(EventEnvelope<JsonNode> event) {
        JsonNode status = event.body().path("status");
        String subject = event.subject() == null ? "" : event.subject();
        return new Row(event.occurredAt().toString(), event.type(), subject, event.tenant(),
                status.isNumber() || status.isTextual() ? status.asText() : "",
                reportable(subject) ? "/reports/users/" + pathSegment(subject)
                        + queryString(Map.of("tenant", event.tenant())) : "");
    }

    /** The report page's path, or empty for a subject no path can name. */
    private static String reportPath(String subject, String tenant, ReportPeriod period) {
        return reportable(subject)
                ? "/reports/users/" + pathSegment(subject) + queryString(periodQuery(period, tenant)) : "";
    }

    /**
     * Whether a report link can name {@code subject}: the report refuses control characters and overlong subjects,
     * and URLs resolve the segments {@code .} and {@code ..} (also percent-encoded) away before they are sent.
     */
    private static boolean reportable(String subject) {
        return !subject.isEmpty() && !subject.equals(".") && !subject.equals("..")
                && subject.length() <= QueryParams.MAX_TEXT_LENGTH && subject.chars().noneMatch(Character::isISOControl);
    }

    private static String usersPath(ReportPeriod period, String tenant, int offset) {
        Map<String, String> query = periodQuery(period, tenant);
        query.put("offset", Integer.toString(offset));
        return "/reports/users" + queryString(query);
    }

    /** Links to the last 7, 30 and 90 days: the dashboard's CSP allows no forms ({@code form-action 'none'}). */
    private List<Link> presets(String path, Map<String, String> extra) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        return List.of(7, 30, 90).stream().map(days -> {
            Map<String, String> query = new LinkedHashMap<>();
            query.put("from", now.minus(Duration.ofDays(days)).toString());
            query.put("to", now.toString());
            query.putAll(extra);
            return new Link("Last " + days + " days", path + queryString(query));
        }).toList();
    }

    private static Map<String, String> periodQuery(ReportPeriod period, String tenant) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("from", period.from().toString());
        query.put("to", period.to().toString());
        if (tenant != null) {
            query.put("tenant", tenant);
        }
        return query;
    }

    private static List<Count> counts(Map<String, Long> counts) {
        return counts.entrySet().stream().map(e -> new Count(e.getKey(), e.getValue())).toList();
    }

    private static String queryString(Map<String, String> query) {
        StringJoiner joined = new StringJoiner("&", "?", "");
        query.forEach((name, value) -> joined.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return joined.toString();
    }

    /** Percent-encodes everything but RFC 3986's unreserved characters (§2.3), so any subject is one path segment. */
    static String pathSegment(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.'
                    || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
