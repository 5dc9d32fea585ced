package org.ocpihub.broadcast;

import java.util.Map;

import org.ocpihub.broadcast.log.BroadcastLog;
import org.ocpihub.broadcast.log.KafkaConnection;
import org.ocpihub.broadcast.log.KafkaBroadcastLog;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** Wires broadcasting: the Kafka-backed log behind the hub's own interface. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(BroadcastProperties.class)
public class BroadcastConfiguration {

    /**
     * The Kafka cluster every hub Kafka client talks to: {@code spring.kafka.bootstrap-servers} and the shared client
     * properties {@code spring.kafka.properties.*} (TLS, SASL), see {@link KafkaConnection}.
     */
    @Bean
    KafkaConnection kafkaConnection(@Value("${spring.kafka.bootstrap-servers}") String bootstrapServers,
                                    Environment environment) {
        Map<String, String> shared = Binder.get(environment)
                .bind("spring.kafka.properties", Bindable.mapOf(String.class, String.class))
                .orElse(Map.of());
        return new KafkaConnection(bootstrapServers, shared);
    }

    @Bean
    BroadcastLog broadcastLog(KafkaConnection connection, BroadcastProperties properties, MeterRegistry meters) {
        return new KafkaBroadcastLog(connection, properties, meters);
    }
}
