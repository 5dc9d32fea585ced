package org.ocpihub.broadcast.fanout;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.ToIntFunction;

import org.ocpihub.broadcast.BroadcastProperties;
import org.ocpihub.broadcast.delivery.CurrentObjects;
import org.ocpihub.broadcast.delivery.Delivery;
import org.ocpihub.broadcast.delivery.DeliveryClient;
import org.ocpihub.broadcast.delivery.DeliveryOutcome;
import org.ocpihub.broadcast.log.BroadcastRecord;
import org.ocpihub.registry.platform.PlatformRegistry;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One {@link ReceiverLane} per receiving platform: up to {@code hub.broadcast.in-flight-per-receiver} deliveries to it
 * at once, in acceptance order per object, Hub Client Info in its place, waiting deliveries of one object conflated
 * ({@code hub.broadcast.conflation}), while every other platform's lane runs on its own, so a slow or dead receiver
 * holds up only itself. How many deliveries wait in a lane is bounded by {@link ReceiverBacklog}, which keeps those
 * beyond {@code hub.broadcast.receiver-backlog} in PostgreSQL and feeds them to the lane as it empties.
 */
@Component
public class ReceiverLanes implements DisposableBean {

    private final Function<ReceiverLane.Job, Mono<DeliveryClient.Result>> sender;
    private final int inFlight;
    private final int capacity;
    private final boolean conflation;
    private final ToIntFunction<Delivery> copiesExpected;
    private final Map<UUID, ReceiverLane> lanes = new ConcurrentHashMap<>();
    private volatile Runnable onNewLane = () -> { };

    @Autowired
    public ReceiverLanes(DeliveryClient client, CurrentObjects currentObjects, BroadcastProperties properties,
                         PlatformRegistry registry) {
        this(job -> job.current() ? currentState(client, currentObjects, job)
                        : client.deliver(job.delivery()),
                // bounded by ReceiverBacklog, which keeps deliveries beyond hub.broadcast.receiver-backlog in PostgreSQL
                properties.inFlightPerReceiver(), Integer.MAX_VALUE, properties.conflation(),
                delivery -> EligibleReceivers.copiesFor(delivery.record(), delivery.receiverPlatformId(),
                        registry.snapshot()));
    }

    /** Lanes that hand each delivery to {@code deliverer} one at a time, without conflation (tests). */
    ReceiverLanes(Function<Delivery, Mono<DeliveryClient.Result>> deliverer, int capacity) {
        this(job -> deliverer.apply(job.delivery()), 1, capacity, false);
    }

    /**
     * @param sender     sends one job: its delivery, or the object's current state when the job says so
     * @param inFlight   deliveries sent at once per receiving platform
     * @param capacity   deliveries that may wait per receiving platform
     * @param conflation whether waiting deliveries of one object may be replaced by newer ones
     */
    ReceiverLanes(Function<ReceiverLane.Job, Mono<DeliveryClient.Result>> sender, int inFlight, int capacity,
                  boolean conflation) {
        this(sender, inFlight, capacity, conflation, ReceiverLane.RECORD_COPIES);
    }

    private ReceiverLanes(Function<ReceiverLane.Job, Mono<DeliveryClient.Result>> sender, int inFlight, int capacity,
                          boolean conflation, ToIntFunction<Delivery> copiesExpected) {
        this.sender = sender;
        this.inFlight = inFlight;
        this.capacity = capacity;
        this.conflation = conflation;
        this.copiesExpected = copiesExpected;
    }

    /**
     * A delivery of the object's current stored state in place of the conflated pushes: a PUT of the whole object
     * at {@code /cc/pid/id}, with the latest push's ids and correlation. When the store holds no whole object (only
     * PATCHes of it reached the hub, or it was deleted meanwhile), the pushes it stands for are sent one by one, in
     * order, as they came: the result is the first failure, else the last delivery's.
     */
    private static Mono<DeliveryClient.Result> currentState(DeliveryClient client, CurrentObjects objects,
                                                            ReceiverLane.Job job) {
        Delivery delivery = job.delivery();
        BroadcastRecord latest = delivery.record();
        return objects.whole(latest)
                .flatMap(state -> client.deliver(new Delivery(new BroadcastRecord(latest.id(),
                        latest.correlationId(), latest.module(), "PUT", latest.owner(), latest.ownerRole(),
                        latest.senderPlatformId(), state.suffix(), null, state.body(), latest.acceptedAt(),
                        latest.targetPlatformId()), delivery.receiverPlatformId(), delivery.receiver())))
                .switchIfEmpty(Mono.defer(() -> Flux.fromIterable(job.covers())
                        .concatMap(client::deliver)
                        .reduce((first, next) -> first.outcome() == DeliveryOutcome.FAILED ? first : next)));
    }

    /** Queues a delivery whose push the store may not hold (so it is never replaced by the stored state). */
    public Mono<DeliveryClient.Result> submit(Delivery delivery) {
        return submit(delivery, false);
    }

    /**
     * Queues the delivery now (so order is the caller's order) and returns its eventual result.
     *
     * @param stored whether the hub's store holds this push, so that the object's stored state may replace it
     */
    public Mono<DeliveryClient.Result> submit(Delivery delivery, boolean stored) {
        return submit(delivery, stored, null);
    }

    /**
     * Queues a delivery fanned out from a Kafka partition this instance holds: once the partition moves to another
     * instance, it ends unsent if it has not started ({@link ReceiverLane#withdrawn}).
     *
     * @param ownership the hold on its partition; null: always sent
     */
    Mono<DeliveryClient.Result> submit(Delivery delivery, boolean stored, PartitionOwnership ownership) {
        ReceiverLane lane = lanes.get(delivery.receiverPlatformId());
        if (lane == null) {
            lane = lanes.computeIfAbsent(delivery.receiverPlatformId(),
                    key -> new ReceiverLane(sender, inFlight, capacity, conflation, copiesExpected));
            onNewLane.run();
        }
        return lane.submit(delivery, stored, ownership);
    }

    /**
     * When the most recent send still on the wire of these partitions began, over every lane
     * ({@link ReceiverLane#latestSendOnTheWire}); {@link Long#MIN_VALUE} when none is.
     */
    long latestSendOnTheWire(Set<PartitionOwnership> moving) {
        long latest = Long.MIN_VALUE;
        for (ReceiverLane lane : lanes.values()) {
            latest = Math.max(latest, lane.latestSendOnTheWire(moving));
        }
        return latest;
    }

    /**
     * Withdraws every delivery of these partitions from every lane now, at their hand-over
     * ({@link ReceiverLane#withdraw}): waiting ones and those on the wire end withdrawn unsent.
     *
     * @return deliveries that were on the wire (their sends cancelled)
     */
    int withdraw(Set<PartitionOwnership> moving) {
        int cancelled = 0;
        for (ReceiverLane lane : lanes.values()) {
            cancelled += lane.withdraw(moving);
        }
        return cancelled;
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
            int n = lane.waiting();
            if (n > 0) {
                waiting.put(receiver, n);
            }
        });
        return waiting;
    }

    /** The receiving platforms this instance has a lane for (a lane, once opened, stays). */
    public Set<UUID> receivers() {
        return new HashSet<>(lanes.keySet());
    }

    /** The deliveries waiting in the lane of one receiving platform (0 when it has no lane). */
    public int waiting(UUID receiver) {
        ReceiverLane lane = lanes.get(receiver);
        return lane == null ? 0 : lane.waiting();
    }

    /**
     * The deliveries to one receiving platform that were conflated into a later one and wait for it to end (0 when
     * it has no lane).
     */
    public int superseded(UUID receiver) {
        ReceiverLane lane = lanes.get(receiver);
        return lane == null ? 0 : lane.superseded();
    }

    /** The deliveries being sent to one receiving platform now (0 when it has no lane). */
    public int inFlight(UUID receiver) {
        ReceiverLane lane = lanes.get(receiver);
        return lane == null ? 0 : lane.inFlight();
    }

    /** What to run (quickly, without blocking) after a lane for a new receiving platform opened (its gauge). */
    void onNewLane(Runnable action) {
        this.onNewLane = action;
    }

    @Override
    public void destroy() {
        lanes.values().forEach(ReceiverLane::dispose);
    }
}
