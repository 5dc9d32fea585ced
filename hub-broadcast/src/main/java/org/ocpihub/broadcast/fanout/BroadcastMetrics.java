package org.ocpihub.broadcast.fanout;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.ocpihub.broadcast.delivery.Delivery;
import org.ocpihub.broadcast.delivery.DeliveryClient;
import org.ocpihub.broadcast.delivery.DeliveryLogRow;
import org.ocpihub.broadcast.log.BroadcastRecord;
import org.ocpihub.registry.messagelog.MessageLog;
import org.ocpihub.registry.metrics.LatencyBuckets;
import org.ocpihub.registry.platform.PlatformRegistry;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Broadcast metrics: pushes accepted by pushing platform, deliveries by outcome and receiving platform (name and id), delivery latency from acceptance, and the
 * fan-out lag (acceptance to the last delivery of a push). Each delivery's outcome is also a {@link MessageLog} row
 * (DELIVERY) when the log is on; the acceptance's row is the request's own ({@code RoutingMetrics}).
 */
@Component
public class BroadcastMetrics {

    private final MeterRegistry registry;
    /** Meters by name and tags: looked up once, not registered on every delivery. */
    private final Map<CounterKey, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final MessageLog messageLog;
    private final PlatformRegistry platforms;

    /** A counter's tags; {@code platformName} is part of the key so a renamed platform gets its new name. */
    private record CounterKey(String meter, String module, String outcome, UUID platformId, String platformName) {
    }

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

    /** Counts a push the hub accepted, by module and pushing platform (its name and id). */
    public void accepted(BroadcastRecord record) {
        UUID pusher = record.senderPlatformId();
        String name = platformName(pusher);
        counters.computeIfAbsent(new CounterKey("accepted", record.module().id(), null, pusher, name),
                key -> Counter.builder("ocpihub.broadcast.accepted")
                        .description("Broadcast pushes the hub accepted, by pushing platform")
                        .tag("module", key.module())
                        .tag("platform", name)
                        .tag("platform_id", pusher == null ? LatencyBuckets.UNKNOWN : pusher.toString())
                        .register(registry)).increment();
    }

    /**
     * Counts Kafka partitions of the broadcast log this instance was given ({@code assigned}) or gave up
     * ({@code revoked}) in rebalances: with incremental rebalancing an instance joining or leaving revokes only the
     * partitions that move, not all of them (issue 11, item 5).
     */
    void partitions(String change, int count) {
        if (count == 0) {
            return;
        }
        counters.computeIfAbsent(new CounterKey("partitions", null, change, null, null),
                key -> Counter.builder("ocpihub.broadcast.partitions")
                        .description("Broadcast log partitions this instance was assigned or had revoked")
                        .tag("change", change)
                        .register(registry)).increment(count);
    }

    void delivery(Delivery delivery, DeliveryClient.Result result) {
        String module = delivery.record().module().id();
        UUID receiver = delivery.receiverPlatformId();
        String name = platformName(receiver);
        counters.computeIfAbsent(new CounterKey("deliveries", module, result.outcome().name(), receiver, name),
                key -> Counter.builder("ocpihub.broadcast.deliveries")
                        .description("Ended broadcast deliveries, by receiving platform and outcome")
                        .tag("module", module)
                        .tag("outcome", key.outcome())
                        .tag("receiver", name)
                        .tag("receiver_id", receiver.toString())
                        .register(registry)).increment();
        timer("ocpihub.broadcast.delivery.latency", "From acceptance of a broadcast to the end of one delivery", module)
                .record(Duration.between(delivery.record().acceptedAt(), Instant.now()));
        if (messageLog.enabled()) {
            messageLog.append(DeliveryLogRow.of(delivery, result, DeliveryLogRow.FAN_OUT, platforms));
        }
    }

    /**
     * A delivery went to the durable receiver backlog in PostgreSQL (its receiver is behind or down, or it was
     * unfinished at its partition's hand-over); it ends later.
     */
    void spilled(Delivery delivery, String reason) {
        UUID receiver = delivery.receiverPlatformId();
        String name = platformName(receiver);
        counters.computeIfAbsent(new CounterKey("spilled", delivery.record().module().id(), reason, receiver, name),
                key -> Counter.builder("ocpihub.broadcast.spilled")
                        .description("Broadcast deliveries kept in PostgreSQL for their receiving platform: it was "
                                + "behind (reason=behind), could not be reached (reason=unreachable), or the delivery "
                                + "was unfinished when its partition moved to another instance (reason=handover)")
                        .tag("module", key.module())
                        .tag("reason", reason)
                        .tag("receiver", name)
                        .tag("receiver_id", receiver.toString())
                        .register(registry)).increment();
    }

    /** The platform's registered name, or {@code unknown} (no registry, or a platform deleted meanwhile). */
    private String platformName(UUID id) {
        if (platforms == null || id == null) {
            return LatencyBuckets.UNKNOWN;
        }
        return platforms.snapshot().platform(id).map(e -> e.platform().name()).orElse(LatencyBuckets.UNKNOWN);
    }

    /**
     * {@code ocpihub.broadcast.store.duration{module}}: one attempt of the store step (a PostgreSQL transaction);
     * a slow one holds back its partition's later records, which fan out in offset order.
     */
    void storeApplied(BroadcastRecord record, long nanos) {
        timer("ocpihub.broadcast.store.duration", "One attempt of a broadcast's store step (PostgreSQL transaction)",
                record.module().id()).record(nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * {@code ocpihub.broadcast.fanout.wait{module}}: from acceptance to the moment the fan-out step takes the record
     * (Kafka, the store step, and the partition's earlier records); {@code ocpihub.broadcast.fanout.lag} minus this
     * is the deliveries' own time.
     */
    void fanOutStarts(BroadcastRecord record) {
        timer("ocpihub.broadcast.fanout.wait", "From acceptance of a broadcast to the start of its fan-out step",
                record.module().id()).record(Duration.between(record.acceptedAt(), Instant.now()));
    }

    void fannedOut(BroadcastRecord record) {
        timer("ocpihub.broadcast.fanout.lag", "From acceptance of a broadcast to the end of its last delivery",
                record.module().id()).record(Duration.between(record.acceptedAt(), Instant.now()));
    }

    /** A per-module timer with p50 and p99, registered on first use. */
    private Timer timer(String name, String description, String module) {
        return timers.computeIfAbsent(name + "|" + module, k -> Timer.builder(name)
                .description(description)
                .tag("module", module)
                .publishPercentiles(0.5, 0.99)
                .register(registry));
    }
}
