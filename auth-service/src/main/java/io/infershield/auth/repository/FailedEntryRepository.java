package io.infershield.auth.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Fixed-window counters of failed code entries, kept on the reactive pool outside any Hibernate session, so that a
 * count commits at once, before the entry it guards runs, and every replica sees it.
 */
@ApplicationScoped
public class FailedEntryRepository {

    // ON CONFLICT is an atomic upsert: concurrent entries for the same key each get their own count
    private static final String COUNT = """
            insert into failed_entry (limit_key, window_start, failures)
            select k, $2, 1 from unnest($1::varchar[]) as k
            on conflict (limit_key) do update set
                failures = case when failed_entry.window_start <= $3 then 1 else failed_entry.failures + 1 end,
                window_start = case when failed_entry.window_start <= $3 then excluded.window_start
                                    else failed_entry.window_start end
            returning failures""";
    private static final String UNCOUNT =
            "update failed_entry set failures = greatest(failures - 1, 0) where limit_key = any($1::varchar[])";

    private final Pool pool;

    FailedEntryRepository(Pool pool) {
        this.pool = pool;
    }

    /**
     * Counts one entry against every key, on {@code tx}, and answers the highest count now held by any of them. A key
     * whose window began at or before {@code windowStartedBefore} starts a new window at {@code now}.
     */
    public Uni<Integer> count(SqlClient tx, List<String> keys, Instant now, Instant windowStartedBefore) {
        return tx.preparedQuery(COUNT)
                .execute(Tuple.of(keys.toArray(String[]::new), now.atOffset(ZoneOffset.UTC),
                        windowStartedBefore.atOffset(ZoneOffset.UTC)))
                .map(rows -> {
                    int highest = 0;
                    for (Row row : rows) {
                        highest = Math.max(highest, row.getInteger("failures"));
                    }
                    return highest;
                });
    }

    /** Takes back one entry counted by {@link #count}, for an entry that turned out not to be a failure. */
    public Uni<Void> uncount(List<String> keys) {
        return pool.preparedQuery(UNCOUNT).execute(Tuple.of(keys.toArray(String[]::new))).replaceWithVoid();
    }
}
