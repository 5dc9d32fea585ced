package org.ocpihub.broadcast.fanout;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.ocpihub.broadcast.BroadcastProperties;
import org.ocpihub.broadcast.delivery.Delivery;
import org.ocpihub.broadcast.delivery.DeliveryClient;
import org.ocpihub.broadcast.delivery.DeliveryOutcome;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * One ordered lane per receiving platform: its deliveries go one after the other, in the order the hub accepted the
 * broadcasts (Hub Client Info included), while every other platform's lane runs on its own, so a slow or dead
 * receiver holds up only itself.
 * A lane holds at most {@code hub.broadcast.receiver-backlog} waiting deliveries; beyond that a delivery fails at once
 * (recorded for replay) instead of growing memory or stalling the log.
 */
@Component
public class ReceiverLanes implements DisposableBean {

    /** A delivery waiting in a lane and where its result goes. */
    private record Job(Delivery delivery, Sinks.One<DeliveryClient.Result> result) {
    }

    /** One receiver's lane: its sink and how many of its deliveries wait (queued, not yet being sent). */
    private record Lane(Sinks.Many<Job> sink, AtomicInteger waiting) {
    }

    private final Function<Delivery, Mono<DeliveryClient.Result>> deliverer;
    private final int capacity;
    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();
    private final Disposable.Composite drains = Disposables.composite();
    private volatile Runnable onNewLane = () -> { };

    @Autowired
    public ReceiverLanes(DeliveryClient client, BroadcastProperties properties) {
        this(client::deliver, properties.receiverBacklog());
    }

    /** Lanes that hand each delivery to {@code deliverer}, at most {@code capacity} waiting per receiver. */
    ReceiverLanes(Function<Delivery, Mono<DeliveryClient.Result>> deliverer, int capacity) {
        this.deliverer = deliverer;
        this.capacity = capacity;
    }

    /** Queues the delivery now (so order is the caller's order) and returns its eventual result. */
    public Mono<DeliveryClient.Result> submit(Delivery delivery) {
        Lane lane = lanes.get(delivery.receiverPlatformId().toString());
        if (lane == null) {
            lane = lanes.computeIfAbsent(delivery.receiverPlatformId().toString(), key -> open());
            onNewLane.run();
        }
        Job job = new Job(delivery, Sinks.one());
        Sinks.EmitResult emitted;
        synchronized (lane) { // several partitions feed one lane; a unicast sink wants serial emission
            lane.waiting().incrementAndGet();
            emitted = lane.sink().tryEmitNext(job);
            if (emitted.isFailure()) {
                lane.waiting().decrementAndGet();
            }
        }
        if (emitted.isFailure()) {
            return Mono.just(new DeliveryClient.Result(DeliveryOutcome.FAILED, 0,
                    "receiver backlog full (" + capacity + " waiting deliveries): receiver too slow"));
        }
        return job.result().asMono();
    }

    /**
     * The deliveries waiting in each lane on this instance (accepted by the lane, not yet being sent), by receiving
     * platform id; lanes with none waiting are left out. A snapshot for the operator console (issue 9 overview).
     *
     * @return receiving platform id to its waiting deliveries
     */
    public Map<UUID, Integer> waiting() {
        Map<UUID, Integer> waiting = new HashMap<>();
        lanes.forEach((receiver, lane) -> {
            int n = lane.waiting().get();
            if (n > 0) {
                waiting.put(UUID.fromString(receiver), n);
            }
        });
        return waiting;
    }

    /** The receiving platforms this instance has a lane for (a lane, once opened, stays). */
    public Set<UUID> receivers() {
        Set<UUID> receivers = new HashSet<>();
        lanes.keySet().forEach(key -> receivers.add(UUID.fromString(key)));
        return receivers;
    }

    /** The deliveries waiting in the lane of one receiving platform (0 when it has no lane). */
    public int waiting(UUID receiver) {
        Lane lane = lanes.get(receiver.toString());
        return lane == null ? 0 : lane.waiting().get();
    }

    /** What to run (quickly, without blocking) after a lane for a new receiving platform opened (its gauge). */
    void onNewLane(Runnable action) {
        this.onNewLane = action;
    }

    private Lane open() {
        Queue<Job> queue = new ArrayBlockingQueue<>(capacity);
        Sinks.Many<Job> sink = Sinks.many().unicast().onBackpressureBuffer(queue);
        AtomicInteger waiting = new AtomicInteger();
        drains.add(sink.asFlux()
                .concatMap(job -> Mono.defer(() -> {
                            waiting.decrementAndGet(); // being sent now
                            return deliverer.apply(job.delivery());
                        })
                        .doOnNext(result -> job.result().tryEmitValue(result)), 1)
                .subscribe());
        return new Lane(sink, waiting);
    }

    @Override
    public void destroy() {
        drains.dispose();
    }
}
