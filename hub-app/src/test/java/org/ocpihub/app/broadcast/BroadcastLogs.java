package org.ocpihub.app.broadcast;

import java.time.Duration;

import org.ocpihub.broadcast.BroadcastProperties;
import org.ocpihub.broadcast.log.KafkaBroadcastLog;
import org.ocpihub.broadcast.log.KafkaConnection;
import org.ocpihub.testkit.infra.TestInfrastructure;

import io.micrometer.core.instrument.MeterRegistry;

/** A {@link KafkaBroadcastLog} of its own on the tests' Kafka, outside any hub: a fresh topic and group per call. */
final class BroadcastLogs {

    private BroadcastLogs() {
    }

    /**
     * The hub's defaults but for a topic {@code ocpihub.<name>-<nanos>} of 2 partitions and a consumer group of the
     * same name, on the classic protocol.
     */
    static BroadcastProperties properties(String name) {
        long unique = System.nanoTime();
        return new BroadcastProperties("ocpihub." + name + "-" + unique, 2, "ocpihub-" + name + "-" + unique,
                new BroadcastProperties.Retry(4, Duration.ofSeconds(2), Duration.ofSeconds(20)),
                Duration.ofSeconds(10), 1000, Duration.ofSeconds(10), 16, true, 100_000, Duration.ofSeconds(1),
                100_000, "classic", Duration.ofSeconds(1), -1, "object", Duration.ofSeconds(2));
    }

    /** A log with {@link #properties}; the caller destroys it. */
    static KafkaBroadcastLog log(String name, MeterRegistry meters) {
        return new KafkaBroadcastLog(KafkaConnection.plaintext(TestInfrastructure.get().kafkaBootstrapServers()),
                properties(name), meters);
    }
}
