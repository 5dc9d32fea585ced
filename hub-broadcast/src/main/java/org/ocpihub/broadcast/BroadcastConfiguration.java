package org.ocpihub.broadcast;

import org.ocpihub.broadcast.log.BroadcastLog;
import org.ocpihub.broadcast.log.KafkaBroadcastLog;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires broadcasting: the Kafka-backed log behind the hub's own interface. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(BroadcastProperties.class)
public class BroadcastConfiguration {

    @Bean
    BroadcastLog broadcastLog(@Value("${spring.kafka.bootstrap-servers}") String bootstrapServers,
                              BroadcastProperties properties, MeterRegistry meters) {
        return new KafkaBroadcastLog(bootstrapServers, properties, meters);
    }
}
