package org.ocpihub.broadcast.fanout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import org.ocpihub.broadcast.delivery.DeliveryFailureStore;
import org.ocpihub.registry.metrics.LatencyBuckets;
import org.ocpihub.registry.platform.PlatformRegistry;
import org.ocpihub.registry.platform.RegistryChangeHook;
import org.ocpihub.registry.platform.RegistrySnapshot;
import org.ocpihub.registry.task.PeriodicTask;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import reactor.core.publisher.Mono;

/**
 * The broadcast gauges per receiving platform (name and id):
 * <ul>
 * <li>{@code ocpihub.broadcast.backlog{receiver, receiver_id}}: deliveries waiting in this instance's lane for the
 * platform (live; per instance);</li>
 * <li>{@code ocpihub.broadcast.failed.deliveries{receiver, receiver_id}}: failed deliveries waiting for replay, counted
 * in PostgreSQL (the same on every instance); a platform with none has no series;</li>
 * <li>{@code ocpihub.broadcast.kept.deliveries{receiver, receiver_id}}: deliveries waiting for the platform in
 * PostgreSQL ({@link ReceiverBacklogStore}: it is behind or down), the same on every instance; a platform with none
 * has no series.</li>
 * </ul>
 * The series are rebuilt every {@link #REFRESH} (one non-blocking grouped count), and within a second after a lane
 * opened, this instance recorded or replayed a failed delivery, or the registry changed (a renamed or deleted
 * platform). Failures recorded or replayed by another instance show within {@link #REFRESH}.
 */
@Component
public class BroadcastGauges extends PeriodicTask implements RegistryChangeHook {

    /** How often the failed deliveries are counted when nothing happened meanwhile. */
    static final Duration REFRESH = Duration.ofSeconds(30);
    private static final Duration TICK = Duration.ofSeconds(1);

    private final ReceiverLanes lanes;
    private final DeliveryFailureStore failures;
    private final ReceiverBacklogStore kept;
    private final ObjectProvider<PlatformRegistry> registry;
    private final MultiGauge backlog;
    private final MultiGauge failed;
    private final MultiGauge keptGauge;
    private final AtomicBoolean changed = new AtomicBoolean(true);

    /** @param registry the platform registry, for the names (a provider: the registry itself calls this hook) */
    public BroadcastGauges(MeterRegistry meters, ReceiverLanes lanes, DeliveryFailureStore failures,
                           ReceiverBacklogStore kept, ObjectProvider<PlatformRegistry> registry) {
        super(TICK);
        this.lanes = lanes;
        this.failures = failures;
        this.kept = kept;
        this.registry = registry;
        this.backlog = MultiGauge.builder("ocpihub.broadcast.backlog")
                .description("Deliveries waiting in this instance's lane for a receiving platform")
                .register(meters);
        this.failed = MultiGauge.builder("ocpihub.broadcast.failed.deliveries")
                .description("Failed deliveries to a receiving platform waiting for replay (from the database)")
                .register(meters);
        this.keptGauge = MultiGauge.builder("ocpihub.broadcast.kept.deliveries")
                .description("Deliveries to a receiving platform waiting in the database: it is behind or down")
                .register(meters);
        lanes.onNewLane(this::changed);
        failures.onChange(this::changed);
    }

    /** Asks for a refresh on the next tick (a failed delivery was recorded or replayed, a lane opened). */
    void changed() {
        changed.set(true);
    }

    @Override
    public Mono<Void> afterRefresh() {
        return Mono.fromRunnable(this::changed);
    }

    @Override
    protected Mono<Void> runOnce(long tick) {
        boolean due = (tick + 1) % (REFRESH.toSeconds() / TICK.toSeconds()) == 0;
        if (!changed.getAndSet(false) && !due) {
            return Mono.empty();
        }
        return Mono.zip(failures.waitingByReceiver(), kept.waiting())
                .doOnNext(counts -> update(registry.getObject().snapshot(), counts.getT1(), counts.getT2()))
                .then();
    }

    private void update(RegistrySnapshot snapshot, Map<UUID, Long> waiting, Map<UUID, Long> keptRows) {
        List<MultiGauge.Row<?>> backlogRows = new ArrayList<>();
        for (UUID receiver : lanes.receivers()) {
            backlogRows.add(MultiGauge.Row.of(tags(snapshot, receiver), lanes, l -> l.waiting(receiver)));
        }
        backlog.register(backlogRows, true);
        List<MultiGauge.Row<?>> failedRows = new ArrayList<>();
        waiting.forEach((receiver, count) -> failedRows.add(MultiGauge.Row.of(tags(snapshot, receiver), count)));
        failed.register(failedRows, true);
        List<MultiGauge.Row<?>> keptRowsGauge = new ArrayList<>();
        keptRows.forEach((receiver, count) -> keptRowsGauge.add(MultiGauge.Row.of(tags(snapshot, receiver), count)));
        keptGauge.register(keptRowsGauge, true);
    }

    private static Tags tags(RegistrySnapshot snapshot, UUID receiver) {
        String name = snapshot.platform(receiver).map(e -> e.platform().name()).orElse(LatencyBuckets.UNKNOWN);
        return Tags.of("receiver", name, "receiver_id", receiver.toString());
    }
}
