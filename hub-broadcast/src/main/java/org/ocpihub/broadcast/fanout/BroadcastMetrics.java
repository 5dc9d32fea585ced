package org.ocpihub.broadcast.fanout;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.ocpihub.broadcast.delivery.Delivery;
import org.ocpihub.broadcast.delivery.DeliveryClient;
import org.ocpihub.broadcast.log.BroadcastRecord;
import org.ocpihub.ocpi.version.InterfaceRole;
import org.ocpihub.registry.messagelog.MessageLog;
import org.ocpihub.registry.messagelog.MessageLogEntry;
import org.ocpihub.registry.messagelog.ObjectIds;
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
            messageLog.append(entry(delivery, result));
        }
    }

    /**
     * The message log row of one delivery's outcome: from = the broadcaster (the data owner), to = the receiving
     * party, the broadcaster's correlation id and the broadcast id (so a search by either finds the acceptance and
     * every delivery), the last attempt's request id and answer, the attempts, and when the broadcast was accepted
     * (the lag).
     */
    private MessageLogEntry entry(Delivery delivery, DeliveryClient.Result result) {
        BroadcastRecord record = delivery.record();
        String receiverName = platforms == null ? null : platforms.snapshot().platform(delivery.receiverPlatformId())
                .map(e -> e.platform().name()).orElse(null);
        String senderName = platforms == null || record.senderPlatformId() == null ? null
                : platforms.snapshot().platform(record.senderPlatformId()).map(e -> e.platform().name()).orElse(null);
        return new MessageLogEntry(null, Instant.now(), null, MessageLogEntry.Kind.DELIVERY, null,
                result.requestId(), record.correlationId(), record.module().id(), InterfaceRole.RECEIVER.name(),
                record.method(), "BROADCAST", record.owner().countryCode(), record.owner().partyId(),
                delivery.receiver().countryCode(), delivery.receiver().partyId(), record.senderPlatformId(),
                senderName, delivery.receiverPlatformId(), receiverName,
                ObjectIds.of(record.module(), InterfaceRole.RECEIVER, record.method(), segments(record.suffix()),
                        null),
                record.id(), result.attempts(), result.outcome().name(), result.httpStatus(), result.ocpiStatus(),
                null, record.acceptedAt(), MessageLogEntry.shortError(result.error()));
    }

    /** The decoded path segments of a broadcast's suffix ({@code /NL/CPO/LOC1}), as the router read them. */
    private static List<String> segments(String suffix) {
        if (suffix == null || suffix.isEmpty() || suffix.equals("/")) {
            return List.of();
        }
        List<String> segments = new ArrayList<>();
        for (String raw : (suffix.startsWith("/") ? suffix.substring(1) : suffix).split("/")) {
            segments.add(URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8));
        }
        return segments;
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
