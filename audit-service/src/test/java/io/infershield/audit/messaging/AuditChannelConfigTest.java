package io.infershield.audit.messaging;

import io.infershield.events.Topics;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AuditChannelConfigTest {

    @Test
    void auditChannelSubscribesToEveryEventTopic() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("application.properties")) {
            properties.load(in);
        }
        List<String> topics = Arrays.asList(properties.getProperty("mp.messaging.incoming.audit-in.topics").split(","));

        assertEquals(Topics.ALL, topics);
    }
}
