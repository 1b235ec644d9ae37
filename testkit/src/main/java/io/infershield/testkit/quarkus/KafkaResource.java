package io.infershield.testkit.quarkus;

import io.infershield.testkit.infra.Kafka;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.List;
import java.util.Map;

/**
 * Starts a real single-node Kafka (KRaft) for a {@code @QuarkusTest}, creates the event topics and sets
 * {@code kafka.bootstrap.servers}. Fields of type {@link Kafka} annotated with {@link InjectInfra} receive it.
 */
public class KafkaResource implements QuarkusTestResourceLifecycleManager {

    private Kafka kafka;

    @Override
    public Map<String, String> start() {
        kafka = Kafka.start().createTopics(List.of("auth-events", "token-events", "proxy-events"));
        return Map.of("kafka.bootstrap.servers", kafka.bootstrapServers());
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(kafka, new TestInjector.AnnotatedAndMatchesType(InjectInfra.class, Kafka.class));
    }

    @Override
    public void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }
}
