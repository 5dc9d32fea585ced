package org.ocpihub.broadcast.fanout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.ocpihub.broadcast.BroadcastProperties;
import org.ocpihub.broadcast.delivery.Delivery;
import org.ocpihub.broadcast.delivery.DeliveryClient;
import org.ocpihub.broadcast.delivery.DeliveryOutcome;
import org.ocpihub.broadcast.fanout.ReceiverBacklogStore.Entry;
import org.ocpihub.broadcast.fanout.ReceiverBacklogStore.Position;
import org.ocpihub.broadcast.log.BroadcastLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import reactor.core.Disposable;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.retry.Retry;

/**
 * Keeps the hub's memory bounded however far a receiver is behind (issue 11, D7): a receiving platform's lane holds
 * at most {@code hub.broadcast.receiver-backlog} waiting deliveries; further deliveries to it wait in PostgreSQL
 * ({@link ReceiverBacklogStore}) and the lane is fed from there as it empties. A record of the broadcast log is
 * acknowledged once each of its deliveries ended or is kept in PostgreSQL, so a lagging receiver holds back no Kafka
 * offset and, after a restart, healthy receivers get again only what was in their lanes.
 *
 * <p>Order. Per receiver and Kafka partition, once a delivery was kept in PostgreSQL, every later one of that
 * partition is kept there too, until the rows are drained; one {@link BacklogWriter} per partition commits them in
 * offset order, many records per transaction. Rows are drained in offset order into the same lane, so acceptance
 * order per object (one object's pushes share a partition) and the Hub Client Info fence (a copy of each change in
 * every partition, D7) hold across the spill.
 *
 * <p>Who drains. The instance that consumes a partition drains its rows: it reads which receivers wait there when
 * it is given the partition (before fanning out the partition's first record) and stops when it loses it. Records
 * after the group's committed offset are fanned out again by the new owner; a receiver with rows keeps getting rows,
 * and its rows drain only once the fan-out passed the highest offset among them, so they drain in offset order. Rows
 * are deleted per batch of {@code 4 × in-flight-per-receiver} once every delivery of the batch ended, so a crash
 * sends a receiver at most that batch again.
 *
 * <p>A receiver that is down. A delivery that found its receiver unreachable after every retry (no connection, no
 * answer in time; {@link DeliveryClient.Result#unreachable()}) is not a failure but a delivery that waits: it is
 * kept here, and so is every later one of its partition to that receiver. The drainer then probes the receiver with
 * one row after {@code hub.broadcast.retry.max-backoff}, doubling up to 16 times that, and drains in batches again
 * once a probe gets through. Deliveries the receiver answered with an error (HTTP 4xx/5xx, OCPI 2xxx/3xxx) still go
 * to the failed-delivery list for the operators, as does a row the receiver does not answer while it accepts others
 * (a poison push must not hold up the rest; {@link #refusedByTheReceiver} says when that is).
 */
@Component
public class ReceiverBacklog implements BroadcastLog.PartitionListener, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ReceiverBacklog.class);
    /**
     * Records of one partition waiting to be written (as the rows store them: a Hub Client Info list counts each
     * entry, {@code ReceiverBacklogStore.Kept#records}) beyond which its fan-out waits for their commit.
     */
    static final int WRITE_QUEUE_GATE = 4 * BacklogWriter.MAX_BATCH;

    private final ReceiverLanes lanes;
    private final ReceiverBacklogStore store;
    private final DeliverySettlement settlement;
    private final BroadcastMetrics metrics;
    private final int memoryMark;
    /**
     * Deliveries handed to lanes and not ended, over every receiver, counted from the moment they are decided for a
     * lane (under this object's monitor, so that fan-outs of several partitions and drainers cannot all take the last
     * room at once); and the most there may be before keeping.
     */
    private final AtomicInteger inMemory = new AtomicInteger();
    /**
     * Per receiving platform, deliveries decided for its lane and not queued there yet (a drainer's read under way,
     * or a hand-over from the fan-out): counted with the lane's waiting ones against its marks.
     */
    private final Map<UUID, AtomicInteger> reserved = new ConcurrentHashMap<>();
    private final int memoryTotal;
    private final int batch;
    private final Duration firstProbe;
    private final Duration lastProbe;
    /**
     * When each receiving platform last answered a delivery with success (epoch ms, the latest answer on this
     * instance): tells a poison row from a down receiver ({@link #refusedByTheReceiver}).
     */
    private final Map<UUID, Long> lastDelivered = new ConcurrentHashMap<>();
    /** Rows remembered per spill with the start of their last unreachable attempt, at most this many. */
    static final int REMEMBERED_ATTEMPTS = 64;
    /**
     * Receivers and partitions whose deliveries go to PostgreSQL now. Changed under this object's monitor, only by
     * {@link #newSpill} and {@link #dropSpill}, which keep the three indexes below with it.
     */
    private final Map<Key, Spill> spills = new ConcurrentHashMap<>();
    /**
     * The same spills by receiver: a delivery that ends wakes its receiver's drainers ({@link #roomIn}) without
     * looking at every spill (receivers × partitions: with 1 000 members, a scan of thousands per delivery under the
     * monitor was the backlog's top frame, docs/benchmarks.md). Guarded by this object's monitor.
     */
    private final Map<UUID, List<Spill>> spillsByReceiver = new HashMap<>();
    /**
     * Spills whose last round waited for room in memory over all receivers: any delivery that ends may wake them.
     * Monitor-guarded.
     */
    private final Set<Spill> globalWaiters = new HashSet<>();
    /** Spills waiting for the fan-out to pass their {@link Spill#resumeAt}. Monitor-guarded. */
    private final Set<Spill> resuming = new HashSet<>();
    /** Per partition, the writer of its kept deliveries (group commit, in offset order). */
    private final Map<Integer, BacklogWriter> writers = new ConcurrentHashMap<>();
    /** Per partition this instance consumes, its hold on it (with the offset of the first record it was given). */
    private final Map<Integer, PartitionOwnership> owned = new ConcurrentHashMap<>();
    /** How long a partition moving away waits for its deliveries on the wire. */
    private final Duration handoverGrace;
    /**
     * How long a hand-over waits, after the grace, for the moving partitions' records to end once their unfinished
     * deliveries were withdrawn: the rows they become are written to PostgreSQL (a few ms), then the records are
     * acknowledged and committed as the partitions move.
     */
    static final Duration HANDOVER_ROWS_WAIT = Duration.ofSeconds(10);
    /** Revoke callbacks running now ({@link #awaitHandedOver}). */
    private final AtomicInteger handingOver = new AtomicInteger();
    private final Disposable sweeper;
    /** Partitions whose claim another instance took while this one held them ({@link #claimsLost}). */
    private final Sinks.Many<Integer> claimsLost = Sinks.many().multicast().directBestEffort();

    public ReceiverBacklog(ReceiverLanes lanes, ReceiverBacklogStore store, DeliverySettlement settlement,
                           BroadcastMetrics metrics, BroadcastProperties properties) {
        this.lanes = lanes;
        this.store = store;
        this.settlement = settlement;
        this.metrics = metrics;
        this.memoryMark = properties.receiverBacklog();
        this.memoryTotal = properties.memoryBacklog();
        this.batch = Math.max(16, 4 * properties.inFlightPerReceiver());
        this.firstProbe = properties.retry().maxBackoff();
        this.lastProbe = firstProbe.multipliedBy(16);
        this.handoverGrace = properties.handoverGrace();
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
         * Read from the first row next time: a row was kept behind {@link #after} (a delivery parked after later
         * rows were read) or rows were left in place (the receiver went down, or their deletion failed).
         */
        boolean rewind;
        /**
         * Rows left by an earlier owner of the partition reach this Kafka offset, and records from the committed
         * offset on are fanned out again: drain only once the fan-out passed it, so that the records fanned out
         * again are kept first and everything drains in offset order. -1 once passed (or for a spill begun here).
         */
        long resumeAt = -1;
        /** The drainer waits for room in the lane; a delivery to the receiver that ends wakes it. */
        boolean parked;
        /** Drain rounds in a row that found the receiver unreachable (0: it is up); it is probed one row at a time. */
        int failures;
        /** No drain before this time (epoch ms): the receiver was unreachable. */
        long downUntil;
        /**
         * Rows whose last attempt found the receiver unreachable and that wait here, with when that attempt started
         * (epoch ms): the next try of such a row judges the receiver's answers since then
         * ({@link #refusedByTheReceiver}). At most {@link #REMEMBERED_ATTEMPTS}; emptied once the receiver took a
         * whole batch. Monitor-guarded.
         */
        final Map<Position, Long> unreachableSince = new HashMap<>();
        /** The timer that wakes the drainer at {@link #downUntil}, or null. */
        Disposable probe;
        /** Drain requests; one round runs at a time. */
        final AtomicInteger wip = new AtomicInteger();

        Spill(Key key) {
            this.key = key;
        }
    }

    /**
     * What the fan-out did with one record's deliveries.
     *
     * @param kept  when the partition's next record may be fanned out: at once, or, while too many records of the
     *              partition wait to be written to PostgreSQL, once this one's rows are committed
     * @param ended completes once every delivery ended or is kept: the record may be acknowledged
     */
    public record Handed(Mono<Void> kept, Mono<Void> ended) {
    }

    /**
     * Completes once this instance knows which receivers wait in PostgreSQL for deliveries of the partition (read once
     * per assignment, after its claim, retried until PostgreSQL answers). The fan-out calls it before each record.
     */
    public Mono<Void> ready(int partition) {
        PartitionOwnership ownership = owned.get(partition);
        if (ownership == null) {
            return Mono.empty(); // given to another instance: submit() leaves its records to the new owner
        }
        return ownership.rowsRead(() -> Flux.defer(() -> ownership.revoked() ? Flux.empty()
                        : store.waitingIn(partition))
                .doOnNext(waiting -> resume(ownership, waiting.receiver(), waiting.lastOffset()))
                .then()
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(200)).maxBackoff(Duration.ofSeconds(30))
                        .doBeforeRetry(s -> log.warn("cannot read the receiver backlog of partition {}, retrying: {}",
                                partition, s.failure().toString())))
                .cache());
    }

    /**
     * Whether this instance holds the partition now under the assignment a record was fetched under (records of a
     * partition it lost are left to the new owner; records of an earlier assignment of a partition given back to it
     * are left to the same records fetched again from the committed offset).
     */
    public boolean holds(int partition, long assignment) {
        return ownership(partition, assignment) != null;
    }

    /** This instance's hold on the partition under that assignment, or null. */
    private PartitionOwnership ownership(int partition, long assignment) {
        PartitionOwnership ownership = owned.get(partition);
        return ownership != null && ownership.assignment() == assignment ? ownership : null;
    }

    /**
     * Whether a fan-out ended with the record's partition moved to another instance: the record must not be
     * acknowledged here (the new owner fans it out again from the committed offset). Also when only some of its
     * deliveries moved: the record's ends are joined with {@code whenDelayError}, which reports two errors as one
     * composite (two deliveries withdrawn after the hand-over closed were taken for a failed fan-out and the record
     * acknowledged, so a receiver that never got it would not get it from the new owner either).
     */
    public static boolean moved(Throwable error) {
        if (error == PartitionMoved.INSTANCE) {
            return true;
        }
        return Exceptions.isMultiple(error)
                && Exceptions.unwrapMultiple(error).stream().anyMatch(ReceiverBacklog::moved);
    }

    /** The partition moved to another instance while the record's deliveries were under way. */
    static final class PartitionMoved extends RuntimeException {
        static final PartitionMoved INSTANCE = new PartitionMoved();

        private PartitionMoved() {
            super("the partition moved to another hub instance", null, false, false);
        }
    }

    /**
     * The partitions are this instance's now (called on the Kafka consumer's thread, before any record of theirs is
     * polled). Each is claimed in PostgreSQL first ({@link ReceiverBacklogStore#claim}), here and blocking: claims so
     * follow the group's order of owners (a claim retried later, in the background, could land after the next owner's
     * and fence that owner out). Then the rows other instances left there are read ({@link #ready}).
     *
     * @throws IllegalStateException when PostgreSQL took no claim within {@link #CLAIM_TIMEOUT}: out of the callback
     *                               it fails the consumer, which the fan-out restarts (assigned and claimed anew)
     */
    @Override
    public void assigned(Map<Integer, Long> assigned, long assignment) {
        Map<Integer, Long> epochs = new HashMap<>();
        assigned.keySet().forEach(p -> epochs.put(p, claim(p)));
        List<PartitionOwnership> replaced = new ArrayList<>();
        synchronized (this) {
            assigned.forEach((p, position) -> {
                PartitionOwnership previous = owned.put(p, new PartitionOwnership(p, position, assignment,
                        epochs.get(p)));
                if (previous != null) {
                    // an earlier consumer of this instance held it and has not revoked it yet (it failed and closes
                    // late, so it lost the partition in the group): its hold ends here as lost, its revocation will
                    // name an assignment no longer held and change nothing
                    previous.revoke();
                    replaced.add(previous);
                }
            });
            dropSpillsOf(replaced);
        }
        // outside the monitor: a lane ends the withdrawn jobs, whose settlement takes it
        release(replaced, true);
        metrics.partitions("assigned", assigned.size());
        assigned.keySet().forEach(p -> ready(p).subscribe());
    }

    /** Stops and forgets the spills of these holds' partitions (they moved away). Call holding this monitor. */
    private void dropSpillsOf(List<PartitionOwnership> holds) {
        if (holds.isEmpty()) {
            return;
        }
        Set<Integer> partitions = new HashSet<>();
        holds.forEach(hold -> partitions.add(hold.partition()));
        for (Spill s : new ArrayList<>(spills.values())) {
            if (partitions.contains(s.key.partition())) {
                s.revoked = true;
                if (s.probe != null) {
                    s.probe.dispose();
                }
                dropSpill(s);
            }
        }
    }

    /**
     * Partitions whose claim in PostgreSQL another instance took while this one still held them: this instance was
     * fenced out of the consumer group and its consumer has not noticed yet, or a claim came out of the group's order.
     * It keeps no more rows of them; the fan-out restarts its consumer on each, so that it rejoins the group and
     * claims what it is given again, in order (otherwise its records that needed a row would never be acknowledged).
     */
    public Flux<Integer> claimsLost() {
        return claimsLost.asFlux();
    }

    /** Reports a lost claim of the hold this instance consumes the partition under now; an earlier hold's is stale. */
    private void claimLost(PartitionOwnership hold) {
        if (owned.get(hold.partition()) == hold) {
            claimsLost.tryEmitNext(hold.partition());
        }
    }

    /** How long the assign callback waits for PostgreSQL to take a partition's claim, tries included. */
    static final Duration CLAIM_TIMEOUT = Duration.ofSeconds(30);

    /**
     * Claims a partition, blocking (the Kafka consumer's thread, never an event loop): four tries, each waiting at
     * most the store's lock timeout for a previous owner's write under way (a frozen one is ended within
     * {@code ReceiverBacklogStore.HOLD_IDLE_TIMEOUT}).
     */
    private long claim(int partition) {
        Long epoch = store.claim(partition)
                .retryWhen(Retry.backoff(3, Duration.ofMillis(200))
                        .doBeforeRetry(s -> log.warn("cannot claim partition {} of the broadcast log, retrying: {}",
                                partition, s.failure().toString())))
                .block(CLAIM_TIMEOUT);
        if (epoch == null) {
            throw new IllegalStateException("no claim of partition " + partition + " in PostgreSQL");
        }
        return epoch;
    }

    /**
     * The partitions move to another instance (called on the Kafka consumer's thread, before they move). Rows are no
     * longer drained; this waits for the partitions' deliveries on the wire to end, each at most
     * {@code hub.broadcast.handover-grace} from its start (the consumer polls no partition meanwhile), so that the new
     * owner's resend of an object cannot overtake them at the receiver; then every delivery
     * of theirs that has not ended (waiting in a lane, or still on the wire: a receiver that hangs, or one in retry
     * backoff, whose send is cancelled) is kept as a row of the receiver backlog, and this waits, up to
     * {@link #HANDOVER_ROWS_WAIT}, until the partitions' records were acknowledged. The log then commits them, so the
     * new owner sends none of them again to the receivers that took them, and drains the rows, first, to the slow
     * ones (issue 11, item 3: after a move a receiver gets again only what it had not acknowledged). Every other
     * partition is fanned out meanwhile.
     *
     * @param partitions per partition, the assignment that ends: a hold under another (newer) assignment is not
     *                   this revocation's and stays (a failed consumer closing after its successor was given the
     *                   partition)
     * @param lost       the partitions were lost, not handed over (this instance was fenced): the new owner may
     *                   consume them already and have read their rows, so none is written; it sends the unfinished
     *                   records again
     */
    @Override
    public void revoked(Map<Integer, Long> partitions, boolean lost) {
        handingOver.incrementAndGet();
        try {
            handOver(partitions, lost);
        } finally {
            handingOver.decrementAndGet();
        }
    }

    /**
     * Waits until this instance holds no partition and no hand-over is under way: the fan-out consumer, closing,
     * revoked them all after {@code hub.broadcast.handover-grace}. For the hub's shutdown (Spring's closing thread,
     * never an event loop), before the delivery clients close: closed first, they broke the deliveries on the wire
     * and every graceful stop spent the whole grace on them and left their records to be sent again. Returns after
     * the grace, {@link #HANDOVER_ROWS_WAIT} and 25 s more (two commits of 10 s at most) at most.
     *
     * @return whether every partition was handed over
     */
    public boolean awaitHandedOver() {
        return PartitionOwnership.awaitUntil(() -> owned.isEmpty() && handingOver.get() == 0,
                handoverGrace.plus(HANDOVER_ROWS_WAIT).plusSeconds(25));
    }

    private void handOver(Map<Integer, Long> revoked, boolean lost) {
        List<PartitionOwnership> moving = new ArrayList<>(revoked.size());
        List<Integer> notHeld = new ArrayList<>();
        // one monitor for the holds and their spills: a spill is begun only for the current hold (spillFor, park,
        // resume), so none of a newer hold can be begun between the two steps and dropped here
        synchronized (this) {
            for (Map.Entry<Integer, Long> ending : revoked.entrySet()) {
                PartitionOwnership ownership = owned.get(ending.getKey());
                if (ownership == null) {
                    continue; // never held, or a newer assignment's hold replaced it already (assigned)
                }
                if (ownership.assignment() != ending.getValue()) {
                    notHeld.add(ending.getKey());
                    continue;
                }
                owned.remove(ending.getKey());
                if (!lost) {
                    // first: from the revocation on, a delivery that ends unreachable or withdrawn becomes a row
                    // (toLane, park)
                    ownership.openHandOver();
                }
                ownership.revoke();
                moving.add(ownership);
            }
            dropSpillsOf(moving);
        }
        if (!notHeld.isEmpty()) {
            // the number is another assignment's: a newer consumer of this instance holds them, or the revoking
            // consumer failed in its assign callback before numbering its assignment
            log.warn("partitions {}: a revocation ignored, this instance holds them under another assignment",
                    notHeld);
        }
        release(moving, lost);
    }

    /**
     * Lets go of revoked holds (their spills already dropped): waits, unless lost, for their deliveries on the wire
     * within the grace, withdraws the rest from the lanes, and, unless lost, waits for their records to end.
     */
    private void release(List<PartitionOwnership> moving, boolean lost) {
        metrics.partitions("revoked", moving.size());
        if (moving.isEmpty()) {
            return;
        }
        List<Integer> partitions = moving.stream().map(PartitionOwnership::partition).toList();
        Set<PartitionOwnership> movingSet = Set.copyOf(moving);
        // each send on the wire gets the grace from its own start: one that already took longer (a receiver that
        // hangs, or one in retry backoff) is not waited for, as the whole fan-out's polling waits with this thread
        long latest = lost ? Long.MIN_VALUE : lanes.latestSendOnTheWire(movingSet); // lost: consumed elsewhere
        if (latest != Long.MIN_VALUE) {
            long left = latest + handoverGrace.toNanos() - System.nanoTime();
            PartitionOwnership.awaitDeliveries(moving, Duration.ofNanos(Math.min(handoverGrace.toNanos(),
                    Math.max(0, left))));
        }
        int cancelled = lanes.withdraw(movingSet);
        int open = lost ? 0 : PartitionOwnership.awaitRecords(moving, HANDOVER_ROWS_WAIT);
        moving.forEach(PartitionOwnership::closeHandOver);
        int rows = moving.stream().mapToInt(PartitionOwnership::handedOverRows).sum();
        if (lost) {
            // operators (and BroadcastFencedInstanceTest) look for "were lost to another instance"
            log.warn("partitions {} were lost to another instance, or to a newer consumer of this one ({} deliveries "
                    + "on the wire cancelled): their unacknowledged pushes are sent again by the new owner", partitions,
                    cancelled);
        } else if (open > 0) {
            log.warn("partitions {} moved with {} pushes whose deliveries had not ended after {}: the new owner sends "
                    + "them, and the partition's later ones, again", partitions, open, HANDOVER_ROWS_WAIT);
        } else if (cancelled > 0 || rows > 0) {
            log.info("partitions {} moved: {} deliveries on the wire for longer than {} were cancelled; {} "
                    + "unfinished deliveries were kept as receiver-backlog rows for the new owner", partitions,
                    cancelled, handoverGrace, rows);
        }
    }

    /**
     * Keeps a delivery of a partition being handed over as a row (it was withdrawn from its lane, or its receiver was
     * unreachable), so that its record can be acknowledged and committed: the new owner drains the row first.
     * Completes once committed; with {@link PartitionMoved} when the partition is not being handed over (lost, or the
     * hand-over closed, also while the row was written): the record is left unacknowledged and the new owner fans it
     * out again.
     */
    private Mono<Void> handOverRow(Delivery delivery, boolean stored, PartitionOwnership ownership, long offset) {
        if (!ownership.takesRows()) {
            return Mono.error(PartitionMoved.INSTANCE); // the hand-over closed: no row the new owner would not see
        }
        // the writer fails it as moved if the hand-over closed before the row was committed (and logs a late one)
        return keep(ownership, offset, stored, List.of(delivery)).doOnSuccess(v -> {
            metrics.spilled(delivery, "handover");
            ownership.handedOver();
        });
    }

    /**
     * Hands one record's deliveries on, in order: to each receiver's lane, or to PostgreSQL for a receiver whose lane
     * is full or that already has rows from this partition.
     *
     * @param partition the record's Kafka partition
     * @param offset    its offset there
     * @param stored    whether the hub's store holds the push
     */
    public Handed submit(int partition, long assignment, long offset, List<Delivery> deliveries, boolean stored) {
        PartitionOwnership ownership = ownership(partition, assignment);
        if (ownership != null) {
            ownership.recordOpened(); // before looking at the revocation: the hand-over waits for what it counts
        }
        if (ownership == null || ownership.revoked()) {
            // a record of a partition this instance just lost: never acknowledged here, the new owner fans it out
            if (ownership != null) {
                ownership.recordEnded();
            }
            return new Handed(Mono.empty(), Mono.error(PartitionMoved.INSTANCE));
        }
        List<Mono<Void>> ends = new ArrayList<>(deliveries.size());
        List<Delivery> kept = new ArrayList<>(0);
        List<Spill> keptIn = new ArrayList<>(0);
        for (Delivery delivery : deliveries) {
            Spill spill = spillFor(delivery.receiverPlatformId(), ownership);
            if (spill == null) {
                ends.add(toLane(delivery, stored, ownership, offset));
            } else {
                kept.add(delivery);
                keptIn.add(spill);
            }
        }
        List<Spill> passed = passed(partition, offset);
        if (kept.isEmpty()) {
            passed.forEach(this::wake);
            return new Handed(Mono.empty(), Mono.whenDelayError(ends).doFinally(s -> ownership.recordEnded()));
        }
        Mono<Void> committed = keep(ownership, offset, stored, kept)
                // counted once committed: rows dropped or rolled back as the partition moved were never kept
                .doOnSuccess(v -> kept.forEach(delivery -> metrics.spilled(delivery, "behind")))
                .doFinally(signal -> {
                    keptIn.forEach(this::committed);
                    passed.forEach(this::wake);
                })
                .cache();
        committed.subscribe(v -> { }, e -> { });
        // the fan-out goes on while rows are written, unless so many wait for PostgreSQL that memory would grow; the
        // gate never fails (rows dropped as the partition moved end the record through `ended`, unacknowledged)
        Mono<Void> gate = writers.get(partition).queued() > WRITE_QUEUE_GATE ? committed.onErrorComplete()
                : Mono.empty();
        // doFinally: after the fan-out's subscriber acknowledged the record, which the hand-over waits for
        return new Handed(gate, Mono.whenDelayError(Mono.whenDelayError(ends), committed)
                .doFinally(s -> ownership.recordEnded()));
    }

    /**
     * A record of the partition is acknowledged without a fan-out (the store can never hold it): the fan-out passed
     * its offset all the same, which may let rows left by an earlier owner drain.
     */
    public void skipped(int partition, long offset) {
        passed(partition, offset).forEach(this::wake);
    }

    /**
     * Writes deliveries of one record to PostgreSQL, behind the partition's earlier ones; completes on commit, or
     * fails with {@link PartitionMoved} when the partition was lost or its hand-over closed before they committed
     * ({@link BacklogWriter}: not written, or written too late to count).
     */
    private Mono<Void> keep(PartitionOwnership ownership, long offset, boolean stored, List<Delivery> deliveries) {
        return writers.computeIfAbsent(ownership.partition(), p -> new BacklogWriter(p, store, this::claimLost))
                .write(ownership, offset, stored, deliveries);
    }

    /**
     * Hands a delivery straight from the fan-out to its receiver's lane. Once it ended it is settled, or, when the
     * receiver could not be reached after every retry, kept in PostgreSQL until the receiver is back; then a drainer
     * waiting for room in the lane may go on.
     */
    private Mono<Void> toLane(Delivery delivery, boolean stored, PartitionOwnership ownership, long offset) {
        return inLane(delivery, stored, ownership)
                .flatMap(result -> {
                    if (ReceiverLane.withdrawn(result)) {
                        roomIn(delivery.receiverPlatformId());
                        return handOverRow(delivery, stored, ownership, offset);
                    }
                    return (result.unreachable() ? park(delivery, result, stored, ownership, offset)
                            : settle(delivery, result))
                            .doFinally(signal -> roomIn(delivery.receiverPlatformId()));
                });
    }

    /**
     * Submits a reserved delivery ({@link #reserve}) to the lane, counted in memory until it ended; sent only while
     * the partition is held.
     */
    private Mono<DeliveryClient.Result> inLane(Delivery delivery, boolean stored, PartitionOwnership ownership) {
        Mono<DeliveryClient.Result> queued;
        try {
            queued = lanes.submit(delivery, stored, ownership); // queued now: counted in the lane's waiting ones
        } catch (RuntimeException e) {
            inMemory.decrementAndGet();
            throw e;
        } finally {
            reserved.get(delivery.receiverPlatformId()).decrementAndGet();
        }
        return queued
                .doOnNext(result -> {
                    if (result.outcome() == DeliveryOutcome.DELIVERED) {
                        long answered = result.times().endedAt() > 0 ? result.times().endedAt()
                                : System.currentTimeMillis();
                        lastDelivered.merge(delivery.receiverPlatformId(), answered, Math::max);
                    }
                })
                .doFinally(signal -> inMemory.decrementAndGet());
    }

    /** Takes room for deliveries to a receiver's lane, in memory and against its mark. Under this object's monitor. */
    private void reserve(UUID receiver, int deliveries) {
        inMemory.addAndGet(deliveries);
        reserved.computeIfAbsent(receiver, r -> new AtomicInteger()).addAndGet(deliveries);
    }

    /** Gives back room taken by {@link #reserve} for deliveries that will not reach the lane. */
    private void unreserve(UUID receiver, int deliveries) {
        if (deliveries > 0) {
            reserved.get(receiver).addAndGet(-deliveries);
            inMemory.addAndGet(-deliveries);
            roomIn(receiver);
        }
    }

    /**
     * The deliveries waiting in a receiver's lane, plus those decided for it and not queued there yet. The reserved
     * count is read first: a delivery is counted in the lane before it leaves the reserved count, so reading in this
     * order may count one twice but never misses one.
     */
    private int waitingOrReserved(UUID receiver) {
        AtomicInteger r = reserved.get(receiver);
        int notQueued = r == null ? 0 : r.get();
        return notQueued + lanes.waiting(receiver);
    }

    private Mono<Void> settle(Delivery delivery, DeliveryClient.Result result) {
        return settlement.settle(delivery, result);
    }

    /**
     * The receiver is down: the delivery waits in PostgreSQL, and so does every later one of the partition to it,
     * until a probe finds the receiver back ({@link #round}). The record may then be acknowledged.
     */
    private Mono<Void> park(Delivery delivery, DeliveryClient.Result result, boolean stored,
                            PartitionOwnership ownership, long offset) {
        int partition = ownership.partition();
        Spill spill = null;
        synchronized (this) {
            if (owned.get(partition) == ownership) {
                spill = spillOf(new Key(delivery.receiverPlatformId(), partition));
                spill.uncommitted++;
                remember(spill, new Position(offset, delivery.receiver().countryCode(),
                        delivery.receiver().partyId(), delivery.record().id()), result);
                if (spill.failures == 0) {
                    // the first sign it is down; later parkings of deliveries already under way change nothing
                    down(spill);
                }
            }
        }
        if (spill == null) {
            // the partition is moving (a row for the new owner) or moved (not acknowledged here: the new owner sends
            // it again)
            return handOverRow(delivery, stored, ownership, offset);
        }
        Spill parked = spill;
        return keep(ownership, offset, stored, List.of(delivery))
                .doOnSuccess(v -> metrics.spilled(delivery, "unreachable"))
                .doFinally(signal -> {
                    synchronized (this) {
                        // this row may lie before rows already read: the next read starts from the first row
                        parked.rewind = true;
                    }
                    committed(parked);
                });
    }

    /** Remembers when a row's last attempt found the receiver unreachable. Call under the monitor. */
    private static void remember(Spill spill, Position row, DeliveryClient.Result result) {
        long startedAt = result.times().lastStartedAt();
        if (startedAt > 0 && (spill.unreachableSince.size() < REMEMBERED_ATTEMPTS
                || spill.unreachableSince.containsKey(row))) {
            spill.unreachableSince.put(row, startedAt);
        }
    }

    /**
     * Whether a row whose last attempt found the receiver unreachable failed for itself (a poison push: the receiver
     * takes other deliveries but never answers this one) rather than because the receiver was down: the receiver
     * answered another delivery with success after this row's earlier try began (its first attempt in this batch, or
     * its last one when it was kept before) and before its last attempt started. A receiver that was down and came
     * back during the batch answered others only after that last attempt, so the row waits and goes again; the
     * receiver answered after its own failure is not evidence (issue 11: such rows were recorded as failed). What
     * remains: a row whose attempts were on the wire when the receiver died, just after answering another, is taken
     * for a poison push.
     *
     * @param earlier successful answers of this batch (epoch ms)
     */
    private boolean refusedByTheReceiver(Spill spill, Entry row, DeliveryClient.Result result, long[] earlier) {
        DeliveryClient.AttemptTimes times = result.times();
        if (times.lastStartedAt() == 0) {
            return false; // not known when it went: nothing to judge by, it waits
        }
        long since = times.firstStartedAt();
        synchronized (this) {
            Long kept = spill.unreachableSince.get(row.position());
            if (kept != null && kept < since) {
                since = kept;
            }
        }
        long last = times.lastStartedAt();
        long answered = lastDelivered.getOrDefault(spill.key.receiver(), 0L);
        if (answered > since && answered < last) {
            return true;
        }
        for (long at : earlier) {
            if (at > since && at < last) {
                return true;
            }
        }
        return false;
    }

    /** One more drain round found the receiver unreachable: wait twice as long before the next probe. */
    private void down(Spill spill) {
        spill.failures++;
        long delay = Math.min(lastProbe.toMillis(), firstProbe.toMillis() << Math.min(spill.failures - 1, 20));
        spill.downUntil = Math.max(spill.downUntil, System.currentTimeMillis() + delay);
    }

    private void roomIn(UUID receiver) {
        if (spills.isEmpty()) {
            return;
        }
        List<Spill> unparked = new ArrayList<>(0);
        // drainers waiting for memory are woken once a tenth is free, not by every delivery that ends
        boolean memoryFree = inMemory.get() <= memoryTotal - Math.max(1, memoryTotal / 10);
        synchronized (this) {
            unpark(spillsByReceiver.getOrDefault(receiver, List.of()), unparked);
            if (memoryFree) {
                unpark(globalWaiters, unparked);
            }
        }
        unparked.forEach(this::wake);
    }

    /** Moves the parked spills of {@code candidates} to {@code unparked}, unparked. Call under the monitor. */
    private static void unpark(Collection<Spill> candidates, List<Spill> unparked) {
        for (Spill spill : candidates) {
            if (spill.parked) {
                spill.parked = false;
                unparked.add(spill);
            }
        }
    }

    /** The spill of this receiver and partition, begun now if there is none. Call under the monitor. */
    private Spill spillOf(Key key) {
        Spill spill = spills.get(key);
        return spill != null ? spill : newSpill(key);
    }

    /** Begins a spill and indexes it. Call under the monitor. */
    private Spill newSpill(Key key) {
        Spill spill = new Spill(key);
        spills.put(key, spill);
        spillsByReceiver.computeIfAbsent(key.receiver(), r -> new ArrayList<>(2)).add(spill);
        return spill;
    }

    /** Ends a spill (drained, or its partition moved) and drops it from every index. Call under the monitor. */
    private void dropSpill(Spill spill) {
        if (!spills.remove(spill.key, spill)) {
            return;
        }
        List<Spill> own = spillsByReceiver.get(spill.key.receiver());
        if (own != null) {
            own.remove(spill);
            if (own.isEmpty()) {
                spillsByReceiver.remove(spill.key.receiver());
            }
        }
        globalWaiters.remove(spill);
        resuming.remove(spill);
    }

    /**
     * The spill a delivery to this receiver from this partition goes to, or null when it goes to the lane (reserved
     * there). A partition that moved away meanwhile gets no spill: the lane withdraws the delivery at once and the
     * hand-over keeps it (a spill begun now would never be dropped, and its drainer would read its rows again and
     * again).
     */
    private synchronized Spill spillFor(UUID receiver, PartitionOwnership ownership) {
        int partition = ownership.partition();
        if (owned.get(partition) != ownership) {
            reserve(receiver, 1);
            return null;
        }
        Key key = new Key(receiver, partition);
        Spill spill = spills.get(key);
        if (spill == null) {
            if (waitingOrReserved(receiver) < memoryMark && inMemory.get() < memoryTotal) {
                reserve(receiver, 1);
                return null;
            }
            spill = newSpill(key);
        }
        spill.uncommitted++;
        return spill;
    }

    /**
     * Rows left by an earlier owner of the partition: they drain before anything new of it reaches the lane, once
     * the fan-out passed {@code lastOffset} when the records up to there are fanned out again.
     *
     * @param ownership the hold the rows were read under (its position: the offset of the first record this instance
     *                  is given from the partition)
     */
    private void resume(PartitionOwnership ownership, UUID receiver, long lastOffset) {
        Spill spill;
        synchronized (this) {
            if (owned.get(ownership.partition()) != ownership) {
                return; // read before the partition moved away: the new owner reads them itself
            }
            spill = spillOf(new Key(receiver, ownership.partition()));
            spill.resumeAt = lastOffset >= ownership.position() ? lastOffset : -1;
            if (spill.resumeAt >= 0) {
                resuming.add(spill);
            } else {
                resuming.remove(spill);
            }
        }
        wake(spill);
    }

    /** The resumed spills of the partition that may drain now that the fan-out reached {@code offset}. */
    private synchronized List<Spill> passed(int partition, long offset) {
        if (resuming.isEmpty()) {
            return List.of();
        }
        List<Spill> passed = new ArrayList<>(0);
        for (Iterator<Spill> it = resuming.iterator(); it.hasNext(); ) {
            Spill spill = it.next();
            if (spill.key.partition() == partition && offset >= spill.resumeAt) {
                spill.resumeAt = -1;
                it.remove();
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
            long wait = spill.downUntil - System.currentTimeMillis();
            if (wait > 0 && spill.probe == null) {
                spill.probe = Mono.delay(Duration.ofMillis(wait)).subscribe(t -> {
                    synchronized (this) {
                        spill.probe = null;
                    }
                    wake(spill);
                });
            }
            int waitingHere = waitingOrReserved(spill.key.receiver());
            // memory over all receivers, but every receiver may always have half a batch waiting: receivers stuck
            // with full lanes must not stop the others from draining
            int globalRoom = Math.max(memoryTotal - inMemory.get(), batch / 2 - waitingHere);
            room = Math.min(Math.min(batch, memoryMark - waitingHere), globalRoom);
            // a receiver that keeps failing is probed with two rows: should it accept the second and not the first,
            // the first is a poison push (see deliver)
            int probe = spill.failures >= 3 ? 2 : 1;
            int wanted = spill.failures > 0 ? Math.min(probe, memoryMark) : Math.min(batch / 2, Math.max(1, memoryMark / 2));
            if (spill.failures > 0) {
                room = Math.min(room, probe);
            }
            if (globalRoom < wanted) {
                globalWaiters.add(spill);
            } else {
                globalWaiters.remove(spill);
            }
            if (wait > 0 || spill.resumeAt >= 0 || room < wanted) {
                // not yet: passed() or roomIn() wakes it
                int left = spill.wip.addAndGet(-missed);
                if (left != 0) {
                    round(spill, left);
                }
                return;
            }
            spill.parked = false;
            spill.committedSinceRead = 0;
            after = spill.rewind ? Position.START : spill.after;
            spill.rewind = false;
            reserve(spill.key.receiver(), room); // what is not read is given back below
        }
        int asked = room;
        store.next(spill.key.receiver(), spill.key.partition(), after, room)
                .doOnError(e -> unreserve(spill.key.receiver(), asked))
                .flatMap(rows -> {
                    unreserve(spill.key.receiver(), asked - rows.size());
                    return rows.isEmpty() ? Mono.just(0) : deliver(spill, rows).thenReturn(rows.size());
                })
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
            dropSpill(spill);
            return true;
        }
        return false;
    }

    /**
     * Hands rows to the lane in order and deletes them once their deliveries ended. The rows the receiver could not
     * be reached for stay for the next probe, with the later rows of their objects (the lane held those back unsent);
     * rows delivered in the same batch are deleted all the same (left in place, they were read again with the rows
     * that stayed and sent again, after their objects' newer versions). But a row the receiver does not
     * answer while it accepts other deliveries ({@link #refusedByTheReceiver}) is the row's fault, not the
     * receiver's: it goes to the failed-delivery list, so that one poison push cannot hold up the rest.
     */
    private Mono<Void> deliver(Spill spill, List<Entry> rows) {
        PartitionOwnership ownership = owned.get(spill.key.partition());
        synchronized (this) {
            if (ownership == null || spill.revoked) {
                unreserve(spill.key.receiver(), rows.size());
                spill.revoked = true; // the new owner drains them; this spill stops
                dropSpill(spill);
                return Mono.empty();
            }
            spill.after = rows.get(rows.size() - 1).position();
        }
        List<Mono<DeliveryClient.Result>> results = new ArrayList<>(rows.size());
        for (Entry row : rows) {
            results.add(inLane(row.delivery(), row.stored(), ownership)
                    .doFinally(signal -> roomIn(row.delivery().receiverPlatformId())));
        }
        return Flux.mergeSequential(results).collectList().flatMap(ended -> {
            UUID receiver = spill.key.receiver();
            long[] answered = ended.stream().filter(r -> r.outcome() == DeliveryOutcome.DELIVERED)
                    .mapToLong(r -> r.times().endedAt()).filter(t -> t > 0).toArray();
            // the partition moved (a row withdrawn): the rows not delivered stay for the new owner
            boolean moved = ended.stream().anyMatch(ReceiverLane::withdrawn);
            List<Integer> left = new ArrayList<>(0);
            List<Position> done = new ArrayList<>(rows.size());
            List<Mono<Void>> settled = new ArrayList<>(rows.size());
            for (int i = 0; i < rows.size(); i++) {
                Entry row = rows.get(i);
                DeliveryClient.Result result = ended.get(i);
                // attempts 0: not sent because an earlier push of its object found the receiver down; it waits
                if (ReceiverLane.withdrawn(result) || result.unreachable() && (moved || result.attempts() == 0
                        || !refusedByTheReceiver(spill, row, result, answered))) {
                    left.add(i);
                } else {
                    // delivered (or refused by the receiver) even after a row that stays: deleted, so it is not
                    // sent again after a newer version of its object (an object's rows that stay are a suffix of
                    // its rows here: the lane holds back an object's later deliveries once one found the receiver
                    // down)
                    settled.add(settle(row.delivery(), result));
                    done.add(row.position());
                }
            }
            synchronized (this) {
                if (moved) {
                    spill.rewind = true;
                } else if (left.isEmpty()) {
                    spill.failures = 0;
                    spill.downUntil = 0;
                    spill.unreachableSince.clear();
                } else {
                    spill.rewind = true;
                    for (int i : left) {
                        if (ended.get(i).unreachable()) {
                            remember(spill, rows.get(i).position(), ended.get(i));
                        }
                    }
                    done.forEach(spill.unreachableSince::remove);
                    down(spill);
                }
            }
            if (done.isEmpty()) {
                return Mono.empty();
            }
            return Mono.when(settled).then(Mono.defer(() -> store.release(receiver, spill.key.partition(), done))
                    .retryWhen(Retry.backoff(5, Duration.ofMillis(200)))
                    .onErrorResume(e -> {
                        // left in place they are read again and sent again: at least once, never lost
                        log.warn("cannot delete delivered rows of the receiver backlog of {}: {}", receiver,
                                e.toString());
                        synchronized (this) {
                            spill.rewind = true;
                        }
                        return Mono.empty();
                    }));
        });
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
            spills.values().forEach(s -> {
                s.revoked = true;
                if (s.probe != null) {
                    s.probe.dispose();
                }
            });
            spills.clear();
            spillsByReceiver.clear();
            globalWaiters.clear();
            resuming.clear();
        }
    }
}
