package org.ocpihub.broadcast.log;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.kafka.clients.CommonClientConfigs;

/**
 * How every Kafka client of the hub (the broadcast producer and consumer, the topic set-up, the health check)
 * reaches the cluster: the bootstrap servers plus the client properties they all share, such as TLS and SASL
 * ({@code security.protocol=SASL_SSL}, {@code sasl.mechanism}, {@code sasl.jaas.config}, {@code ssl.truststore.*}).
 * <p>
 * Configured as {@code spring.kafka.bootstrap-servers} and {@code spring.kafka.properties.*}, the names Spring Boot
 * uses for the same purpose (environment: {@code SPRING_KAFKA_PROPERTIES_SECURITY_PROTOCOL}, ...). The hub's own
 * settings of a client (acks from all replicas, idempotence, manual commits, serializers) are part of its delivery
 * guarantee and always win over a shared property of the same name; {@link #clientConfig} says which were ignored.
 *
 * @param bootstrapServers comma-separated {@code host:port} list, never blank
 * @param properties       Kafka client properties shared by every client, by their Kafka names; may be empty
 */
public record KafkaConnection(String bootstrapServers, Map<String, String> properties) {

    public KafkaConnection {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("spring.kafka.bootstrap-servers is blank");
        }
        properties = Map.copyOf(properties);
    }

    /** A plaintext connection with no shared properties (tests, the embedded default). */
    public static KafkaConnection plaintext(String bootstrapServers) {
        return new KafkaConnection(bootstrapServers, Map.of());
    }

    /**
     * The configuration of one client: the shared properties, then the bootstrap servers, then the client's own
     * settings, each later one winning.
     *
     * @param own the client's own settings (Kafka names to values)
     * @return a new mutable map, ready for a Kafka client or reactor-kafka options
     */
    public Map<String, Object> clientConfig(Map<String, Object> own) {
        Map<String, Object> config = new HashMap<>(properties);
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.putAll(own);
        return config;
    }

    /** Shared properties that a client's own settings replace (logged once at start-up, so a surprise is visible). */
    public Set<String> overriddenBy(Map<String, Object> own) {
        Set<String> overridden = new TreeSet<>(properties.keySet());
        overridden.retainAll(own.keySet());
        return overridden;
    }

    /** Never the values: {@code sasl.jaas.config} holds a password. */
    @Override
    public String toString() {
        return "KafkaConnection[bootstrapServers=" + bootstrapServers + ", properties=" + new TreeSet<>(properties.keySet())
                + "]";
    }
}
