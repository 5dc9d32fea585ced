package org.ocpihub.broadcast.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** A Kafka client's meters live as long as the client: bound when it is added, gone with their thread when removed. */
class KafkaClientMetersTest {

    @Test
    void aRemovedClientTakesItsMetersAndItsRefreshThreadAlong() throws InterruptedException {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MockConsumer<String, byte[]> consumer = new MockConsumer<>("earliest") {
            @Override
            public Map<MetricName, ? extends Metric> metrics() {
                MetricName name = new MetricName("records-lag-max", "consumer-fetch-manager-metrics", "",
                        Map.of("client-id", "fanout-1"));
                return Map.of(name, new Metric() {
                    @Override
                    public MetricName metricName() {
                        return name;
                    }

                    @Override
                    public Object metricValue() {
                        return 42.0;
                    }
                });
            }
        };
        try (KafkaClientMeters meters = new KafkaClientMeters(registry)) {
            meters.consumerAdded("fanout-1", consumer);

            assertThat(registry.get("kafka.consumer.fetch.manager.records.lag.max").tag("client.id", "fanout-1")
                    .gauge().value()).isEqualTo(42.0);
            Thread refresher = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals("kafka-meters-fanout-1")).findFirst().orElseThrow();

            meters.consumerRemoved("fanout-1", consumer);

            assertThat(registry.find("kafka.consumer.fetch.manager.records.lag.max").gauges()).isEmpty();
            refresher.join(10_000);
            assertThat(refresher.isAlive()).isFalse();
        }
    }
}
