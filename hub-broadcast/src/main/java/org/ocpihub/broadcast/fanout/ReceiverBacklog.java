package org.ocpihub.broadcast.fanout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.ocpihub.broadcast.BroadcastProperties;
import org.ocpihub.broadcast.delivery.Delivery;
import org.ocpihub.broadcast.fanout.ReceiverBacklogStore.Entry;
import org.ocpihub.broadcast.fanout.ReceiverBacklogStore.Position;
import org.ocpihub.broadcast.log.BroadcastLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Keeps the hub's memory bounded however far a receiver is behind (issue 11, D7): a receiving platform's lane holds
 * at most {@code hub.broadcast.receiver-backlog} waiting deliveries; further deliveries to it wait in PostgreSQL
 * ({@link ReceiverBacklogStore}) and the lane is fed from there as it empties. A record of the broadcast log is
 * acknowledged once each of its deliveries ended or is kept in PostgreSQL, so a lagging receiver holds back no Kafka
 * offset and, after a restart, healthy receivers get again only what was in their lanes.
 *
 * <p>Order. Per receiver and Kafka partition, once a delivery was kept in PostgreSQL, every later one of that
 * partition is kept there too, until the rows are drained; the fan-out of the partition's next record waits for the
 * rows of this one to be committed. Rows are drained in offset order into the same lane, so acceptance order per
 * object and the Hub Client Info fence (both within one partition, whose key is the owner) hold across the spill.
 *
 * <p>Who drains. The instance that consumes a partition drains its rows: it reads which receivers wait there when
 * it is given the partition (before fanning out the partition's first record) and stops when it loses it. Records
 * after the group's committed offset are fanned out again by the new owner; a receiver with rows keeps getting rows,
 * and its rows drain only once the fan-out passed the highest offset among them, so they drain in offset order. Rows are
 * deleted per batch of {@code 4 × in-flight-per-receiver} once every delivery of the batch ended, so a crash sends a
 * receiver at most that batch again. Failed deliveries go to the failed-delivery list as before.
 */
@Component
public class ReceiverBacklog implements BroadcastLog.PartitionListener, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ReceiverBacklog.class);

    private final ReceiverLanes lanes;
    private final ReceiverBacklogStore store;
    private final DeliverySettlement settlement;
    private final BroadcastMetrics metrics;
    private final int memoryMark;
    private final int batch;
    /** Receivers and partitions whose deliveries go to PostgreSQL now. Guarded by this object's monitor. */
    private final Map<Key, Spill> spills = new ConcurrentHashMap<>();
    /** Partitions whose waiting receivers were read since this instance got them. */
    private final Map<Integer, Mono<Void>> loaded = new ConcurrentHashMap<>();
    /** Per partition this instance consumes, the offset of the first record it was given. */
    private final Map<Integer, Long> positions = new ConcurrentHashMap<>();
    private final Disposable sweeper;

    public ReceiverBacklog(ReceiverLanes lanes, ReceiverBacklogStore store, DeliverySettlement settlement,
                           BroadcastMetrics metrics, BroadcastProperties properties) {
        this.lanes = lanes;
        this.store = store;
        this.settlement = settlement;
        this.metrics = metrics;
        this.memoryMark = properties.receiverBacklog();
        this.batch = Math.max(16, 4 * properties.inFlightPerReceiver());
        this.sweeper = Flux.interval(Duration.ofMinutes(1))
                .concatMap(tick -> store.sweep().onErrorResume(e -> {
                    log.warn("could not sweep kept broadcasts: {}", e.toString());
                    return Mono.empty();
                }))
                .subscribe();
    }

    /** One receiving platform's deliveries from one Kafka partition. */
    private record Key(UUID receiver, int partition) {
    }

    /** A receiver and partition in spill mode; fields guarded by the enclosing {@link ReceiverBacklog}. */
    private static final class Spill {
        final Key key;
        /** The partition was given to another instance: stop draining. */
        boolean revoked;
        /** Deliveries decided to be kept whose rows are not committed yet. */
        int uncommitted;
        /**
         * Rows committed since the last read started: that read may not have seen them (its snapshot can predate
         * the commit), so an empty read does not mean drained.
         */
        int committedSinceRead;
        /** The last row handed to the lane. */
        Position after = Position.START;
        /**
         * Rows left by an earlier owner of the partition reach this Kafka offset, and records from the committed
         * offset on are fanned out again: drain only once the fan-out passed it, so that the records fanned out
         * again are kept first and everything drains in offset order. -1 once passed (or for a spill begun here).
         */
        long resumeAt = -1;
        /** The drainer waits for room in the lane; a delivery to the receiver that ends wakes it. */
        boolean parked;
        /** Drain requests; one round runs at a time. */
        final AtomicInteger wip = new AtomicInteger();

        Spill(Key key) {
            this.key = key;
        }
    }

    /**
     * What the fan-out did with one record's deliveries.
     *
     * @param kept  completes once the deliveries bound for PostgreSQL are committed there (the partition's next
     *              record must wait for it, so that rows keep acceptance order)
     * @param ended completes once every delivery ended or is kept: the record may be acknowledged
     */
    public record Handed(Mono<Void> kept, Mono<Void> ended) {
    }

    /**
     * Completes once this instance knows which receivers wait in PostgreSQL for deliveries of the partition (read
     * once per assignment, retried until PostgreSQL answers). The fan-out calls it before each record.
     */
    public Mono<Void> ready(int partition) {
        return loaded.computeIfAbsent(partition, p -> store.waitingIn(p)
                .doOnNext(waiting -> resume(new Key(waiting.receiver(), p), waiting.lastOffset(),
                        positions.getOrDefault(p, 0L)))
                .then()
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(200)).maxBackoff(Duration.ofSeconds(30))
                        .doBeforeRetry(s -> log.warn("cannot read the receiver backlog of partition {}, retrying: {}",
                                p, s.failure().toString())))
                .cache());
    }

    @Override
    public void assigned(Map<Integer, Long> assigned) {
        positions.putAll(assigned);
        assigned.keySet().forEach(p -> ready(p).subscribe());
    }

    @Override
    public void revoked(Collection<Integer> partitions) {
        synchronized (this) {
            for (Integer p : partitions) {
                loaded.remove(p);
                positions.remove(p);
                spills.values().removeIf(s -> {
                    if (s.key.partition() == p) {
                        s.revoked = true;
                        return true;
                    }
                    return false;
                });
            }
        }
    }

    /**
     * Hands one record's deliveries on, in order: to each receiver's lane, or to PostgreSQL for a receiver whose lane
     * is full or that already has rows from this partition.
     *
     * @param partition the record's Kafka partition
     * @param offset    its offset there
     * @param stored    whether the hub's store holds the push
     */
    public Handed submit(int partition, long offset, List<Delivery> deliveries, boolean stored) {
        List<Mono<Void>> ends = new ArrayList<>(deliveries.size());
        List<Delivery> kept = new ArrayList<>(0);
        List<Spill> keptIn = new ArrayList<>(0);
        for (Delivery delivery : deliveries) {
            Spill spill = spillFor(delivery.receiverPlatformId(), partition);
            if (spill == null) {
                ends.add(toLane(delivery, stored));
            } else {
                kept.add(delivery);
                keptIn.add(spill);
                metrics.spilled(delivery);
            }
        }
        List<Spill> passed = passed(partition, offset);
        if (kept.isEmpty()) {
            passed.forEach(this::wake);
            return new Handed(Mono.empty(), Mono.when(ends));
        }
        Mono<Void> committed = store.spill(partition, offset, stored, kept)
                // accepted means delivered: wait for PostgreSQL rather than drop or reorder (readiness says it is down)
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(200)).maxBackoff(Duration.ofSeconds(30))
                        .doBeforeRetry(s -> log.warn("cannot keep {} deliveries of broadcast {} in PostgreSQL, "
                                + "retrying: {}", kept.size(), kept.get(0).record().id(), s.failure().toString())))
                .doFinally(signal -> {
                    keptIn.forEach(this::committed);
                    passed.forEach(this::wake);
                })
                .cache();
        committed.subscribe(v -> { }, e -> { });
        return new Handed(committed, Mono.when(ends).and(committed));
    }

    /** Hands a delivery to its receiver's lane; once it ended, a drainer waiting for room there may go on. */
    private Mono<Void> toLane(Delivery delivery, boolean stored) {
        return lanes.submit(delivery, stored)
                .flatMap(result -> settlement.settle(delivery, result))
                .doFinally(signal -> roomIn(delivery.receiverPlatformId()));
    }

    private void roomIn(UUID receiver) {
        if (spills.isEmpty()) {
            return;
        }
        List<Spill> unparked = new ArrayList<>(0);
        synchronized (this) {
            for (Spill spill : spills.values()) {
                if (spill.parked && spill.key.receiver().equals(receiver)) {
                    spill.parked = false;
                    unparked.add(spill);
                }
            }
        }
        unparked.forEach(this::wake);
    }

    /** The spill a delivery to this receiver from this partition goes to, or null when it goes to the lane. */
    private synchronized Spill spillFor(UUID receiver, int partition) {
        Key key = new Key(receiver, partition);
        Spill spill = spills.get(key);
        if (spill == null) {
            if (lanes.waiting(receiver) < memoryMark) {
                return null;
            }
            spill = new Spill(key);
            spills.put(key, spill);
        }
        spill.uncommitted++;
        return spill;
    }

    /**
     * Rows left by an earlier owner of the partition: they drain before anything new of it reaches the lane, once
     * the fan-out passed {@code lastOffset} when the records up to there are fanned out again.
     *
     * @param position the offset of the first record this instance is given from the partition
     */
    private void resume(Key key, long lastOffset, long position) {
        Spill spill;
        synchronized (this) {
            spill = spills.computeIfAbsent(key, Spill::new);
            spill.resumeAt = lastOffset >= position ? lastOffset : -1;
        }
        wake(spill);
    }

    /** The resumed spills of the partition that may drain now that the fan-out reached {@code offset}. */
    private synchronized List<Spill> passed(int partition, long offset) {
        List<Spill> passed = new ArrayList<>(0);
        for (Spill spill : spills.values()) {
            if (spill.key.partition() == partition && spill.resumeAt >= 0 && offset >= spill.resumeAt) {
                spill.resumeAt = -1;
                passed.add(spill);
            }
        }
        return passed;
    }

    private void committed(Spill spill) {
        synchronized (this) {
            spill.uncommitted--;
            spill.committedSinceRead++;
        }
        wake(spill);
    }

    private void wake(Spill spill) {
        if (spill.wip.getAndIncrement() == 0) {
            round(spill, 1);
        }
    }

    /**
     * Reads the next batch, as much as the lane has room for, and hands it to the lane; stops once nothing is left
     * nor on its way.
     */
    private void round(Spill spill, int missed) {
        Position after;
        int room;
        synchronized (this) {
            if (spill.revoked) {
                return;
            }
            // parked first, so that a delivery ending between this check and the next wakes the drainer again
            spill.parked = true;
            room = Math.min(batch, memoryMark - lanes.waiting(spill.key.receiver()));
            if (spill.resumeAt >= 0 || room < Math.min(batch, Math.max(1, memoryMark / 2))) {
                // not yet: passed() or roomIn() wakes it
                int left = spill.wip.addAndGet(-missed);
                if (left != 0) {
                    round(spill, left);
                }
                return;
            }
            spill.parked = false;
            spill.committedSinceRead = 0;
            after = spill.after;
        }
        store.next(spill.key.receiver(), spill.key.partition(), after, room)
                .flatMap(rows -> rows.isEmpty() ? Mono.just(0) : deliver(spill, rows).thenReturn(rows.size()))
                .subscribe(n -> {
                    if (n > 0) {
                        round(spill, missed);
                    } else if (!drained(spill)) {
                        int left = spill.wip.addAndGet(-missed);
                        if (left != 0) {
                            round(spill, left);
                        }
                    }
                }, e -> {
                    log.warn("cannot drain the receiver backlog of {} (partition {}), retrying: {}",
                            spill.key.receiver(), spill.key.partition(), e.toString());
                    Mono.delay(Duration.ofSeconds(1)).subscribe(t -> round(spill, missed));
                });
    }

    /**
     * Ends spill mode when the last read found nothing, no row is on its way and none was committed since the read
     * started: every row of the receiver and partition was handed to the lane, so what comes next may go there
     * directly.
     */
    private synchronized boolean drained(Spill spill) {
        if (spill.revoked) {
            return true;
        }
        if (spill.uncommitted == 0 && spill.committedSinceRead == 0) {
            spills.remove(spill.key, spill);
            return true;
        }
        return false;
    }

    /** Hands rows to the lane in order; deletes them once every delivery of the batch ended. */
    private Mono<Void> deliver(Spill spill, List<Entry> rows) {
        Position last = rows.get(rows.size() - 1).position();
        synchronized (this) {
            spill.after = last;
        }
        List<Mono<Void>> ends = new ArrayList<>(rows.size());
        for (Entry row : rows) {
            ends.add(toLane(row.delivery(), row.stored()));
        }
        return Mono.when(ends)
                .then(Mono.defer(() -> store.release(spill.key.receiver(), spill.key.partition(), last))
                        .retryWhen(Retry.backoff(5, Duration.ofMillis(200)))
                        // rows left behind are sent again after a restart: at least once, never lost
                        .onErrorResume(e -> {
                            log.warn("cannot delete delivered rows of the receiver backlog of {}: {}",
                                    spill.key.receiver(), e.toString());
                            return Mono.empty();
                        }));
    }

    /** Receiving platforms whose deliveries of some partition go to PostgreSQL now, on this instance. */
    public synchronized Set<UUID> spilling() {
        Set<UUID> receivers = new HashSet<>();
        spills.keySet().forEach(k -> receivers.add(k.receiver()));
        return receivers;
    }

    @Override
    public void destroy() {
        sweeper.dispose();
        synchronized (this) {
            spills.values().forEach(s -> s.revoked = true);
            spills.clear();
        }
    }
}
