package io.infershield.audit.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Settings of audit-service, under the prefix {@code audit}. */
@ConfigMapping(prefix = "audit")
public interface AuditConfig {

    /** Number of events {@code GET /api/events} returns when the request gives no {@code limit}. */
    @WithDefault("100")
    int defaultLimit();

    /** Largest {@code limit} {@code GET /api/events} accepts; larger values are rejected with 400. */
    @WithDefault("1000")
    int maxLimit();

    /** Number of latest events the dashboard lists. */
    @WithDefault("50")
    int dashboardRows();

    /** Per-user compliance reports ({@code /api/reports}, {@code /reports} in the dashboard). */
    Reports reports();

    /** Settings of the per-user compliance reports, under {@code audit.reports}. */
    interface Reports {

        /** The period a report covers when the request gives no {@code from}: this long before {@code to}. */
        @WithDefault("P30D")
        Duration defaultPeriod();

        /**
         * Longest period one report may cover; longer ones are rejected with 400. It bounds the rows the database
         * reads for one request; an auditor who needs more asks for several reports.
         */
        @WithDefault("P366D")
        Duration maxPeriod();

        /**
         * Score (0 to 100) from which a finding counts as high in the risk summary. The default lies above every
         * category's default action threshold (60 to 70, docs/security-layer.md), so it counts confident findings
         * whatever a tenant's policy did with them.
         */
        @WithDefault("80")
        int highScore();

        /** Number of most recent findings, and of most recent policy changes, a report lists in full. */
        @WithDefault("20")
        int recentRows();

        /**
         * Most rows of each breakdown (by endpoint, upstream and model; by error code; by finding type) a report lists,
         * largest first. Totals always count everything.
         */
        @WithDefault("50")
        int breakdownRows();
    }
}
