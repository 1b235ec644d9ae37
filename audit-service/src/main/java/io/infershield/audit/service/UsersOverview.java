package io.infershield.audit.service;

import java.time.Instant;
import java.util.List;

/**
 * One page of the subjects seen in a period, riskiest first.
 *
 * @param period      the period
 * @param generatedAt when the page was computed
 * @param total       subjects seen in the period (on all pages)
 * @param offset      rows skipped before this page
 * @param limit       the most rows a page holds
 * @param users       this page's rows
 */
public record UsersOverview(ReportPeriod period, Instant generatedAt, long total, int offset, int limit,
        List<UserRow> users) {

    /**
     * One subject of one tenant. Sorted by {@code riskyRequests}, then {@code riskyPer1000Requests}, then
     * {@code requests}, all descending, then by tenant and subject, so that pages are stable.
     *
     * @param requests             gateway requests
     * @param blocked              requests the security layer blocked
     * @param findings             findings in those requests and answers
     * @param highScoreFindings    findings scoring at least {@code audit.reports.high-score}
     * @param riskyRequests        requests that were blocked or carried a high-score finding
     * @param riskyPer1000Requests {@code riskyRequests} per 1,000 requests, {@code null} without requests
     * @param lastSeen             the subject's last event of any type in the period
     */
    public record UserRow(String tenant, String subject, long requests, long blocked, long findings,
            long highScoreFindings, long riskyRequests, Double riskyPer1000Requests, Instant lastSeen) {
    }
}
