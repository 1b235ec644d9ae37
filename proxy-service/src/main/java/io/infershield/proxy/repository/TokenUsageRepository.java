package io.infershield.proxy.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.LocalDate;

/**
 * Tokens per developer and UTC day ({@code token_usage}), in plain SQL on the reactive pool: usage is added from a
 * route's end handler, which has no Hibernate session, and one statement is all each operation needs.
 */
@ApplicationScoped
public class TokenUsageRepository {

    // One statement, so that concurrent requests of one developer on any replicas never lose an addition.
    private static final String ADD = """
            insert into token_usage (tenant, subject, day, input_tokens, output_tokens) values ($1, $2, $3, $4, $5)
            on conflict (tenant, subject, day) do update
            set input_tokens = token_usage.input_tokens + excluded.input_tokens,
                output_tokens = token_usage.output_tokens + excluded.output_tokens""";
    private static final String TOTAL = """
            select input_tokens + output_tokens as total from token_usage where tenant = $1 and subject = $2 and day = $3""";
    private static final String DELETE_BEFORE = "delete from token_usage where day < $1";

    /** Adds a request's tokens to the developer's day. */
    public Uni<Void> add(SqlClient client, String tenant, String subject, LocalDate day, long input, long output) {
        return client.preparedQuery(ADD).execute(Tuple.of(tenant, subject, day, input, output)).replaceWithVoid();
    }

    /** Input and output tokens the developer used on {@code day}; 0 when none. */
    public Uni<Long> total(SqlClient client, String tenant, String subject, LocalDate day) {
        return client.preparedQuery(TOTAL).execute(Tuple.of(tenant, subject, day))
                .map(rows -> rows.size() == 0 ? 0L : rows.iterator().next().getLong("total"));
    }

    /** Deletes the days before {@code first}; answers how many rows. */
    public Uni<Integer> deleteBefore(SqlClient client, LocalDate first) {
        return client.preparedQuery(DELETE_BEFORE).execute(Tuple.of(first)).map(rows -> rows.rowCount());
    }
}
