package io.infershield.audit.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

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
}
