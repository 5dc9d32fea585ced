package org.ocpihub.broadcast.fanout;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.ocpihub.broadcast.delivery.Delivery;
import org.ocpihub.broadcast.delivery.DeliveryClient;
import org.ocpihub.broadcast.delivery.DeliveryLogRow;
import org.ocpihub.broadcast.log.BroadcastRecord;
import org.ocpihub.registry.messagelog.MessageLog;
import org.ocpihub.registry.platform.PlatformRegistry;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Broadcast metrics: pushes accepted, deliveries by outcome and receiver, delivery latency from acceptance, and the
 * fan-out lag (acceptance to the last delivery of a push). Each delivery's outcome is also a {@link MessageLog} row
 * (DELIVERY) when the log is on; the acceptance's row is the request's own ({@code RoutingMetrics}).
 */
@Component
public class BroadcastMetrics {

    private final MeterRegistry registry;
    /** Meters by name and tags: looked up once, not registered on every delivery. */
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final MessageLog messageLog;
    private final PlatformRegistry platforms;

    /** Metrics without the message log (unit tests). */
    public BroadcastMetrics(MeterRegistry registry) {
        this(registry, MessageLog.disabled(), null);
    }

    /**
     * @param messageLog where every delivery's outcome is also written, when it is on
     * @param platforms  the registry, for the receiving platform's name in the log
     */
    @Autowired
    public BroadcastMetrics(MeterRegistry registry, MessageLog messageLog, PlatformRegistry platforms) {
        this.registry = registry;
        this.messageLog = messageLog;
        this.platforms = platforms;
    }

    public void accepted(BroadcastRecord record) {
        counters.computeIfAbsent("accepted|" + record.module().id(), k -> Counter.builder("ocpihub.broadcast.accepted")
                .tag("module", record.module().id()).register(registry)).increment();
    }

    void delivery(Delivery delivery, DeliveryClient.Result result) {
        String module = delivery.record().module().id();
        counters.computeIfAbsent("deliveries|" + module + "|" + result.outcome() + "|" + delivery.receiver(),
                k -> Counter.builder("ocpihub.broadcast.deliveries")
                        .tag("module", module)
                        .tag("outcome", result.outcome().name())
                        .tag("receiver", delivery.receiver().toString())
                        .register(registry)).increment();
        timers.computeIfAbsent("latency|" + module, k -> Timer.builder("ocpihub.broadcast.delivery.latency")
                        .description("From acceptance of a broadcast to the end of one delivery")
                        .tag("module", module)
                        .publishPercentiles(0.5, 0.99)
                        .register(registry))
                .record(Duration.between(delivery.record().acceptedAt(), Instant.now()));
        if (messageLog.enabled()) {
            messageLog.append(DeliveryLogRow.of(delivery, result, DeliveryLogRow.FAN_OUT, platforms));
        }
    }

    void fannedOut(BroadcastRecord record) {
        timers.computeIfAbsent("lag|" + record.module().id(), k -> Timer.builder("ocpihub.broadcast.fanout.lag")
                        .description("From acceptance of a broadcast to the end of its last delivery")
                        .tag("module", record.module().id())
                        .publishPercentiles(0.5, 0.99)
                        .register(registry))
                .record(Duration.between(record.acceptedAt(), Instant.now()));
    }
}
