package io.infershield.testkit.quarkus;

import io.infershield.testkit.infra.Postgres;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Starts a real PostgreSQL for a {@code @QuarkusTest} and points both the reactive datasource (Hibernate Reactive)
 * and the JDBC one (Flyway migrations) at it. The started server is injected into fields of type {@link Postgres}
 * annotated with {@link InjectInfra}.
 */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

    private static final String DATABASE = "app";
    private Postgres postgres;

    @Override
    public Map<String, String> start() {
        postgres = Postgres.start().createDatabase(DATABASE);
        return Map.of(
                "quarkus.datasource.reactive.url", postgres.reactiveUrl(DATABASE),
                "quarkus.datasource.jdbc.url", postgres.jdbcUrl(DATABASE),
                "quarkus.datasource.username", Postgres.USER,
                "quarkus.datasource.password", Postgres.USER);
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(new Database(postgres, DATABASE),
                new TestInjector.AnnotatedAndMatchesType(InjectInfra.class, Database.class));
    }

    @Override
    public void stop() {
        if (postgres != null) {
            postgres.close();
        }
    }

    /** The database a test's application uses, for tests that inspect what was stored. */
    public record Database(Postgres server, String name) {
        public java.sql.Connection connect() throws java.sql.SQLException {
            return server.connect(name);
        }
    }
}
