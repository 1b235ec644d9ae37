package io.infershield.audit.service;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A per-user compliance report: what the stored events say about one subject in one period. Every figure is counted
 * by the database from the stored events; nothing here is anything the events do not already hold (the events carry
 * outcomes, counts, redacted excerpts and keyed hashes, never a prompt, a credential or a token).
 *
 * <p>Bodies are read only for the event versions this service knows (version 1, docs/events.md); {@link #eventsByType}
 * counts every stored event of the subject, whatever its version, so that nothing is left out silently.
 *
 * @param subject      the user, as the events name them ({@code preferred_username})
 * @param tenants      the tenants the subject's events in the period belong to, sorted; empty when there were none
 * @param period       the period covered
 * @param generatedAt  when the report was computed
 * @param activity     the subject's gateway requests ({@code proxy.request.completed})
 * @param findings     what the security layer found in those requests and their answers
 * @param credentials  device grants and gateway credentials ({@code auth.device.*}, {@code auth.credential.*},
 *                     {@code auth.bruteforce.blocked})
 * @param providerLinks upstream accounts linked and unlinked, per provider ({@code auth.link.*})
 * @param tokenVault   accesses to the subject's provider tokens, per provider ({@code token.*})
 * @param policyChanges policy changes made by the subject, as an administrator ({@code proxy.policy.changed})
 * @param toolPinningChanges tool approvals and pinning modes the subject changed, as an administrator
 *                     ({@code proxy.tool_pinning.changed})
 * @param risk         the risk summary (see {@link Risk})
 * @param eventsByType every stored event of the subject in the period, counted by type
 */
public record UserReport(String subject, List<String> tenants, ReportPeriod period, Instant generatedAt,
        Activity activity, Findings findings, Credentials credentials, List<ProviderLinks> providerLinks,
        List<VaultAccess> tokenVault, PolicyChanges policyChanges, ToolPinningChanges toolPinningChanges, Risk risk,
        List<TypeCount> eventsByType) {

    /**
     * Gateway requests.
     *
     * @param requests       every {@code proxy.request.completed} event
     * @param decisions      the security layer's decisions
     * @param errors         requests whose client got an HTTP status of 400 or more
     * @param errorsByCode   those errors by the gateway's {@code errorCode} ({@code null} when the event had none),
     *                       most frequent first, at most {@code audit.reports.breakdown-rows}
     * @param tokens         tokens the upstream answers cost
     * @param byEndpoint     requests by endpoint, upstream and model, most frequent first, at most
     *                       {@code audit.reports.breakdown-rows}
     * @param firstSeen      the subject's first event of any type in the period, or {@code null}
     * @param lastSeen       the subject's last event of any type in the period, or {@code null}
     */
    public record Activity(long requests, Decisions decisions, long errors, List<CodeCount> errorsByCode, Tokens tokens,
            List<EndpointUse> byEndpoint, Instant firstSeen, Instant lastSeen) {
    }

    /**
     * The security layer's decisions on requests.
     *
     * @param none requests refused before they were scanned (no decision: bad credential, rate limit, budget…)
     */
    public record Decisions(long allow, long redact, long block, long none) {
    }

    /**
     * Tokens of the upstream answers ({@code usage} in the events).
     *
     * @param estimatedRequests requests whose figures are the gateway's estimate, not the provider's count
     */
    public record Tokens(long input, long output, long estimatedRequests) {
    }

    /** Requests to one endpoint, upstream and model ({@code null} where the event had none). */
    public record EndpointUse(String endpoint, String upstream, String model, long requests, long blocked, long errors,
            long inputTokens, long outputTokens) {
    }

    /** A number of events with one code or type. */
    public record CodeCount(String code, long count) {
    }

    /** A number of stored events of one type. */
    public record TypeCount(String type, long count) {
    }

    /**
     * Findings of the security layer.
     *
     * @param total     every finding of every request in the period
     * @param highScore findings that scored at least {@link Risk#highScoreThreshold()}
     * @param byType    counts by category and type, most frequent first, at most {@code audit.reports.breakdown-rows}
     * @param recent    the most recent findings, newest first, at most {@code audit.reports.recent-rows}
     */
    public record Findings(long total, long highScore, List<FindingType> byType, List<RecentFinding> recent) {
    }

    /**
     * Findings of one category and type.
     *
     * @param blocked  findings whose policy action was {@code block}
     * @param redacted findings whose policy action was {@code redact}
     * @param maxScore the highest score among them
     * @param lastSeen the time of the latest request that carried one
     */
    public record FindingType(String category, String type, long count, long highScore, long blocked, long redacted,
            Integer maxScore, Instant lastSeen) {
    }

    /**
     * One finding, as the event stored it: a redacted excerpt and a keyed hash, never the matched text.
     *
     * @param requestId the gateway request it was found in
     * @param location  the JSON Pointer of the text in the request or the answer
     */
    public record RecentFinding(Instant occurredAt, String tenant, String requestId, String category, String type,
            String direction, Integer score, String action, String location, String excerpt, String hash) {
    }

    /**
     * Device grants and gateway credentials.
     *
     * @param issuedByKind      credentials issued, by kind ({@code access}, {@code personal_key}…)
     * @param revokedByReason   credentials revoked, by reason ({@code client_request}, {@code admin},
     *                          {@code refresh_token_reused}…)
     * @param bruteforceBlocked user code entries refused after too many failed ones (RFC 8628 §5.1)
     */
    public record Credentials(long devicesApproved, long devicesDenied, long devicesExpired, long issued,
            Map<String, Long> issuedByKind, long refreshed, long revoked, Map<String, Long> revokedByReason,
            long bruteforceBlocked) {
    }

    /** Link sessions with one upstream provider, by outcome ({@code auth.link.*}). */
    public record ProviderLinks(String provider, long started, long linked, long denied, long expired, long failed,
            long cancelled, long deleted) {
    }

    /**
     * Accesses to the subject's tokens for one provider in the token vault ({@code token.*}).
     *
     * @param refreshFailures refreshes whose outcome was not {@code success}, plus links broken by a failed refresh
     * @param unsuccessful    accesses of any kind whose outcome was not {@code success}
     * @param tampered        accesses whose ciphertext failed authentication
     */
    public record VaultAccess(String provider, long stored, long reads, long refreshes, long rotations,
            long revocations, long linksBroken, long refreshFailures, long unsuccessful, long tampered) {
    }

    /**
     * Policy changes the subject made.
     *
     * @param total  all of them in the period
     * @param recent the latest, newest first, at most {@code audit.reports.recent-rows}
     */
    public record PolicyChanges(long total, List<PolicyChange> recent) {
    }

    /** One policy change as {@code proxy.policy.changed} reports it; {@code null} threshold and action: removed. */
    public record PolicyChange(Instant occurredAt, String tenant, String group, String category, Integer threshold,
            String action, Integer previousThreshold, String previousAction) {
    }

    /**
     * Tool-pinning changes the subject made.
     *
     * @param total  all of them in the period
     * @param recent the latest, newest first, at most {@code audit.reports.recent-rows}
     */
    public record ToolPinningChanges(long total, List<ToolPinningChange> recent) {
    }

    /**
     * One tool-pinning change as {@code proxy.tool_pinning.changed} reports it: an approval ({@code entry} and
     * {@code approved} set; {@code false} is a withdrawal) or a mode change ({@code mode}, {@code previousMode}:
     * {@code enforce}, {@code audit} or {@code null} for no list).
     */
    public record ToolPinningChange(Instant occurredAt, String tenant, String entry, Boolean approved, String mode,
            String previousMode) {
    }

    /**
     * The risk summary: plain counts and rates, no weighting. Rates are per 1,000 requests, rounded to one decimal,
     * and {@code null} when there were no requests.
     *
     * @param highScoreThreshold the score from which a finding counts as high ({@code audit.reports.high-score})
     * @param requests           the requests the rates are relative to
     * @param blockedRequests    requests the security layer blocked
     * @param highScoreFindings  findings scoring at least {@code highScoreThreshold}
     * @param riskyRequests      requests that were blocked or carried at least one high-score finding, each counted
     *                           once; what the users overview sorts by
     * @param bruteforceBlocked  refused user code entries (also in {@link Credentials})
     * @param refreshTokenReuse  credential families revoked because a refresh token was presented twice (RFC 9700
     *                           §4.14.2): a sign that a refresh token was stolen
     * @param vaultTampered      token-vault accesses whose ciphertext failed authentication
     */
    public record Risk(int highScoreThreshold, long requests, long blockedRequests, long highScoreFindings,
            long riskyRequests, Double blockedPer1000Requests, Double highScoreFindingsPer1000Requests,
            Double riskyPer1000Requests, long bruteforceBlocked, long refreshTokenReuse, long vaultTampered) {
    }

    /** Events per 1,000 requests, to one decimal, or {@code null} without requests. */
    public static Double per1000(long events, long requests) {
        return requests == 0 ? null : Math.round(events * 10_000.0 / requests) / 10.0;
    }
}
