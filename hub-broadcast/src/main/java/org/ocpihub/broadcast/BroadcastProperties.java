package org.ocpihub.broadcast;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Broadcast settings ({@code hub.broadcast.*}): the Kafka topic and its partitions, the consumer group every hub
 * instance joins (so each push is fanned out once, not once per instance), retries of transient delivery failures,
 * the time a receiver gets per delivery, how many deliveries may wait for one slow receiver, and how soon Kafka hands
 * a dead instance's partitions to the others (its consumer session timeout).
 */
@ConfigurationProperties("hub.broadcast")
public record BroadcastProperties(
        @DefaultValue("ocpihub.broadcasts") String topic,
        @DefaultValue("8") int partitions,
        @DefaultValue("ocpihub-fanout") String consumerGroup,
        @DefaultValue Retry retry,
        @DefaultValue("10s") Duration deliveryTimeout,
        @DefaultValue("10000") int receiverBacklog,
        @DefaultValue("10s") Duration sessionTimeout) {

    /** Transient failures (no connection, timeout, HTTP 5xx, OCPI 3xxx) are retried with exponential backoff. */
    public record Retry(@DefaultValue("4") int maxAttempts,
                        @DefaultValue("2s") Duration initialBackoff,
                        @DefaultValue("20s") Duration maxBackoff) {
    }
}
