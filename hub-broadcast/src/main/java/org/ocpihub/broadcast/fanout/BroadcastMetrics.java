package org.ocpihub.broadcast.fanout;

import java.time.Duration;
import java.time.Instant;

import org.ocpihub.broadcast.delivery.Delivery;
import org.ocpihub.broadcast.delivery.DeliveryClient;
import org.ocpihub.broadcast.log.BroadcastRecord;
import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Broadcast metrics: pushes accepted, deliveries by outcome and receiver, delivery latency from acceptance, and the
 * fan-out lag (acceptance to the last delivery of a push).
 */
@Component
public class BroadcastMetrics {

    private final MeterRegistry registry;

    public BroadcastMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void accepted(BroadcastRecord record) {
        Counter.builder("ocpihub.broadcast.accepted").tag("module", record.module().id()).register(registry)
                .increment();
    }

    void delivery(Delivery delivery, DeliveryClient.Result result) {
        Counter.builder("ocpihub.broadcast.deliveries")
                .tag("module", delivery.record().module().id())
                .tag("outcome", result.outcome().name())
                .tag("receiver", delivery.receiver().toString())
                .register(registry).increment();
        Timer.builder("ocpihub.broadcast.delivery.latency")
                .description("From acceptance of a broadcast to the end of one delivery")
                .tag("module", delivery.record().module().id())
                .publishPercentiles(0.5, 0.99)
                .register(registry)
                .record(Duration.between(delivery.record().acceptedAt(), Instant.now()));
    }

    void fannedOut(BroadcastRecord record) {
        Timer.builder("ocpihub.broadcast.fanout.lag")
                .description("From acceptance of a broadcast to the end of its last delivery")
                .tag("module", record.module().id())
                .publishPercentiles(0.5, 0.99)
                .register(registry)
                .record(Duration.between(record.acceptedAt(), Instant.now()));
    }
}
