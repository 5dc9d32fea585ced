package org.ocpihub.broadcast.fanout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.ocpihub.broadcast.clientinfo.ClientInfoList;
import org.ocpihub.broadcast.delivery.Delivery;
import org.ocpihub.broadcast.log.BroadcastLog;
import org.ocpihub.broadcast.log.BroadcastRecord;
import org.ocpihub.broadcast.store.BroadcastStore;
import org.ocpihub.broadcast.store.StoreErrors;
import org.ocpihub.broadcast.store.StoreFailures;
import org.ocpihub.ocpi.party.ConnectionStatus;
import org.ocpihub.registry.platform.PlatformRegistry;
import org.ocpihub.registry.platform.RegistrySnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import reactor.core.Disposable;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

/**
 * Fans accepted broadcasts out (D7): applies each record of the log to the hub's store (several records of a
 * partition at once, each object's in offset order; retrying only errors that may pass later, {@link StoreErrors}; a
 * record the store can never hold is recorded in {@link StoreFailures} and skipped, so it cannot stall its
 * partition), then, strictly in offset order per partition, hands one delivery per eligible receiver (for a new
 * member's Hub Client Info list, {@link ClientInfoList}, one per entry) to that
 * receiver's lane, or to the durable {@link ReceiverBacklog} when the receiver is behind, and moves on. The record is
 * acknowledged (its offset may be committed) only when every delivery ended (delivered or recorded as failed) or is
 * kept in PostgreSQL, so a hub that dies mid-fan-out loses nothing: another instance, or this one after restart,
 * delivers again.
 */
@Component
public class BroadcastFanOut implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(BroadcastFanOut.class);

    private final BroadcastLog broadcastLog;
    private final BroadcastStore store;
    private final PlatformRegistry registry;
    private final ReceiverBacklog backlog;
    private final BroadcastMetrics metrics;
    private final StoreFailures storeFailures;
    private volatile Disposable running;

    public BroadcastFanOut(BroadcastLog broadcastLog, BroadcastStore store, PlatformRegistry registry,
                           ReceiverBacklog backlog, BroadcastMetrics metrics, StoreFailures storeFailures) {
        this.storeFailures = storeFailures;
        this.broadcastLog = broadcastLog;
        this.store = store;
        this.registry = registry;
        this.backlog = backlog;
        this.metrics = metrics;
    }

    /**
     * Records of one partition whose store step may run at once. The store step is a PostgreSQL transaction (a few
     * ms); one at a time, it capped one owner's fan-out at a few hundred pushes per second (issue 11).
     */
    static final int STORE_CONCURRENCY = 16;

    @Override
    public void start() {
        running = broadcastLog.consume(backlog)
                .groupBy(BroadcastLog.PendingBroadcast::partition)
                .flatMap(this::fanOutPartition, 1024)
                // another instance claimed a partition this one holds: rejoin the group (a new consumer), which
                // hands over what is held and claims what it is given again, in the group's order
                .mergeWith(backlog.claimsLost().next().flatMap(partition -> Mono.<Void>error(new IllegalStateException(
                        "another hub instance claimed partition " + partition + " while this one held it"))))
                .retryWhen(restart())
                .subscribe();
    }

    /** After this long without a failure, a consumer's restart waits {@link #FIRST_RESTART} again. */
    static final Duration QUIET_RESET = Duration.ofMinutes(1);
    static final Duration FIRST_RESTART = Duration.ofSeconds(1);
    static final Duration LAST_RESTART = Duration.ofSeconds(30);

    /**
     * Restarts the consumer after a failure: first waits until the failed consumer handed its partitions over (a
     * failure merged from outside, {@link ReceiverBacklog#claimsLost}, cancels the consumer, whose close and
     * revoke run on its own thread: a new consumer built meanwhile would overlap it in the group and in this
     * instance's holds; each consumer has its own hand-over state, and should the wait time out, a hold the new one
     * is given replaces the old one's, which a late revoke then leaves alone), then backs off 1 s doubling to 30 s,
     * from 1 s again once the consumer ran a minute without failing. (Reactor's {@code transientErrors} resets only on
     * a value, and this pipeline emits none.)
     */
    private Retry restart() {
        return Retry.from(signals -> {
            long[] lastFailure = {0};
            int[] inARow = {0};
            return signals.concatMap(signal -> {
                long now = System.nanoTime();
                if (now - lastFailure[0] > QUIET_RESET.toNanos()) {
                    inARow[0] = 0;
                }
                lastFailure[0] = now;
                Duration delay = FIRST_RESTART.multipliedBy(1L << Math.min(inARow[0]++, 5));
                Duration wait = delay.compareTo(LAST_RESTART) > 0 ? LAST_RESTART : delay;
                log.warn("broadcast consumer failed, restarting in {}: {}", wait, signal.failure().toString());
                return Mono.fromCallable(backlog::awaitHandedOver)
                        .subscribeOn(Schedulers.boundedElastic()) // it waits: never on an event loop
                        .doOnNext(handedOver -> {
                            if (!handedOver) {
                                log.warn("the failed broadcast consumer did not hand its partitions over in time; "
                                        + "restarting anyway (their last pushes may be sent again)");
                            }
                        })
                        .then(Mono.delay(wait));
            });
        });
    }

    /**
     * One partition's records in two steps: the store step runs for up to {@link #STORE_CONCURRENCY} records at once,
     * those of one object one after another in offset order ({@link ObjectSequencer}); the fan-out step then takes
     * the records strictly in offset order, so the lanes get each receiver's deliveries in acceptance order, as
     * before (order per object, and the Hub Client Info fence per owner).
     */
    private Flux<Void> fanOutPartition(Flux<BroadcastLog.PendingBroadcast> partition) {
        ObjectSequencer sequencer = new ObjectSequencer();
        return partition
                .flatMapSequential(pending -> sequencer.after(pending.record().objectKey(), storeStep(pending))
                        .map(result -> new Stored(pending, result)), STORE_CONCURRENCY)
                .concatMap(this::fanOutStep);
    }

    /** A record after its store step. */
    private record Stored(BroadcastLog.PendingBroadcast pending, StoreResult result) {
    }

    /** What the store step decided. */
    private enum StoreResult {
        /** Fan out; the store holds the push (its stored state may replace waiting deliveries). */
        STORED,
        /** Fan out; the store could not take it now (receivers are the truth for their copies). */
        NOT_STORED,
        /** The store can never hold it: skipped, acknowledged without a fan-out. */
        SKIPPED,
        /** The partition moved to another instance, which handles the record. */
        MOVED
    }

    private Mono<Void> fanOutStep(Stored stored) {
        BroadcastLog.PendingBroadcast pending = stored.pending();
        metrics.fanOutStarts(pending.record());
        return switch (stored.result()) {
            case MOVED -> Mono.empty();
            case SKIPPED -> {
                // acknowledged only under the assignment it was fetched under: a late acknowledgement of a record of
                // an earlier one counts against the same offset fetched again
                if (backlog.holds(pending.partition(), pending.assignment())) {
                    pending.acknowledge().run();
                    backlog.skipped(pending.partition(), pending.offset());
                }
                yield Mono.empty();
            }
            case STORED, NOT_STORED -> backlog.holds(pending.partition(), pending.assignment())
                    ? fanOut(pending, stored.result() == StoreResult.STORED) : Mono.empty();
        };
    }

    private Mono<StoreResult> storeStep(BroadcastLog.PendingBroadcast pending) {
        if (!backlog.holds(pending.partition(), pending.assignment())) {
            // fetched before its partition moved to another instance, which applies and fans it out again (or back to
            // this one, which fetches it again): applying it here too could put an older state over a newer one
            return Mono.just(StoreResult.MOVED);
        }
        BroadcastRecord record = pending.record();
        AtomicInteger attempts = new AtomicInteger();
        AtomicBoolean stored = new AtomicBoolean();
        // which receivers still wait in PostgreSQL for this partition is known before its first record
        return backlog.ready(pending.partition()).then(Mono.defer(() -> {
                    attempts.incrementAndGet();
                    long started = System.nanoTime();
                    return store.apply(record).doFinally(signal -> metrics.storeApplied(record,
                            System.nanoTime() - started));
                }))
                .doOnSuccess(v -> stored.set(true))
                // only what may succeed later is retried: a deterministic failure would stall the partition for nothing
                .retryWhen(Retry.backoff(5, Duration.ofMillis(200)).filter(e -> !StoreErrors.deterministic(e)))
                .thenReturn(true)
                .onErrorResume(e -> {
                    Throwable cause = Exceptions.isRetryExhausted(e) && e.getCause() != null ? e.getCause() : e;
                    boolean deterministic = StoreErrors.deterministic(cause);
                    log.error("could not store broadcast {} ({} {}) correlation_id={} after {} attempt(s), {}: {}",
                            record.id(), record.method(), record.objectKey(), record.correlationId(), attempts.get(),
                            deterministic ? "skipped (the store can never hold it)" : "fanned out regardless",
                            cause.toString());
                    return storeFailures.record(record, attempts.get(), cause)
                            .retryWhen(Retry.backoff(3, Duration.ofMillis(200))
                                    .filter(f -> !StoreErrors.deterministic(f)))
                            .onErrorResume(f -> {
                                log.error("could not record the store failure of broadcast {}: {}", record.id(),
                                        f.toString());
                                return Mono.empty();
                            })
                            // transient: receivers are the truth for their copies; the store resyncs on the next push
                            .thenReturn(!deterministic);
                })
                .map(fanOut -> !fanOut ? StoreResult.SKIPPED
                        : stored.get() ? StoreResult.STORED : StoreResult.NOT_STORED);
    }

    /**
     * Hands every delivery on now, in order (to its receiver's lane, or to the durable receiver backlog when the
     * receiver is behind); acknowledges the record once all of them ended or are kept.
     *
     * @param stored whether the store holds this push (then a receiver's waiting deliveries of the object may be
     *               replaced by its stored state)
     * @return when the partition's next record may be fanned out ({@link ReceiverBacklog.Handed#kept()})
     */
    private Mono<Void> fanOut(BroadcastLog.PendingBroadcast pending, boolean stored) {
        PlatformRegistry.SnapshotAt at = registry.snapshotAt();
        List<Delivery> deliveries = deliveries(pending, at.snapshot());
        if (deliveries.isEmpty() && staleFor(pending.record(), at)) {
            // a record for one platform (a new member's Hub Client Info list) read with a snapshot from before the
            // platform registered: the background relay, or another instance, can relay its handshake before this
            // instance reloaded. Reload once and decide again, so the new member is not skipped as "not connected".
            return registry.refresh().onErrorResume(e -> Mono.empty())
                    .then(Mono.defer(() -> handOn(pending, deliveries(pending, registry.snapshot()), stored)));
        }
        return handOn(pending, deliveries, stored);
    }

    /**
     * Whether a reload could give a record for one platform a receiver: the snapshot does not show the platform
     * registered (CONNECTED with its token; a registered platform without the module's endpoint, or kept out by an
     * agreement, gains nothing from a reload), and the snapshot's load started before the record was accepted, give
     * or take {@link #CLOCK_MARGIN} for another instance's clock. Every partition holding some of the platform's
     * records may ask; the registry's reloads are single-flight, so they share one or two loads.
     */
    private static boolean staleFor(BroadcastRecord record, PlatformRegistry.SnapshotAt at) {
        UUID target = record.targetPlatformId();
        if (target == null) {
            return false;
        }
        boolean registered = at.snapshot().platform(target).filter(e -> e.platform().status()
                == ConnectionStatus.CONNECTED && e.peerToken().isPresent()).isPresent();
        return !registered && at.loadStartedAt().isBefore(record.acceptedAt().plus(CLOCK_MARGIN));
    }

    /**
     * How far another instance's clock may be ahead of this one's when comparing its acceptance times (NTP keeps
     * hosts within milliseconds); for a platform that really is not registered, the reloads stop once one started
     * this long after its records were accepted.
     */
    static final Duration CLOCK_MARGIN = Duration.ofMillis(250);

    private List<Delivery> deliveries(BroadcastLog.PendingBroadcast pending, RegistrySnapshot snapshot) {
        BroadcastRecord record = pending.record();
        if (ClientInfoList.is(record)) {
            return listDeliveries(record, snapshot);
        }
        return record.copies() > 1
                ? toEach(record, EligibleReceivers.ofCopy(record, pending.partition(), snapshot))
                : toEach(record, EligibleReceivers.of(record, snapshot));
    }

    private Mono<Void> handOn(BroadcastLog.PendingBroadcast pending, List<Delivery> deliveries, boolean stored) {
        BroadcastRecord record = pending.record();
        log.info("broadcast {} {} {} correlation_id={} → {} receivers", record.id(), record.method(),
                record.objectKey(), record.correlationId(), deliveries.size());
        ReceiverBacklog.Handed handed = backlog.submit(pending.partition(), pending.assignment(), pending.offset(),
                deliveries, stored);
        Runnable ended = () -> {
            pending.acknowledge().run();
            metrics.fannedOut(record);
        };
        handed.ended().subscribe(v -> { }, e -> {
            if (ReceiverBacklog.moved(e)) {
                // the partition's new owner fans the record out again: not acknowledged here; a delivery that failed
                // for another reason beside it is named, since it is not on record here
                Exceptions.unwrapMultiple(e).stream().filter(part -> !ReceiverBacklog.moved(part)).findFirst()
                        .ifPresent(part -> log.warn("fan-out of {} failed ({}) while its partition moved: the new "
                                + "owner sends it again", record.id(), part.toString()));
                return;
            }
            log.error("fan-out of {} failed: {}", record.id(), e.toString());
            ended.run();
        }, ended);
        return handed.kept();
    }

    /**
     * A new member's Hub Client Info list: one PUT per party, in the list's order, each as eligible as a record of its
     * own (the member registered, the agreements let it hear of that party).
     */
    private static List<Delivery> listDeliveries(BroadcastRecord list, RegistrySnapshot snapshot) {
        List<BroadcastRecord> entries;
        try {
            entries = ClientInfoList.entries(list);
        } catch (IllegalArgumentException e) {
            log.error("{}: not fanned out", e.getMessage()); // only the hub writes lists: a bug, not a member's input
            return List.of();
        }
        List<Delivery> deliveries = new ArrayList<>(entries.size());
        for (BroadcastRecord entry : entries) {
            deliveries.addAll(toEach(entry, EligibleReceivers.of(entry, snapshot)));
        }
        return deliveries;
    }

    private static List<Delivery> toEach(BroadcastRecord record, List<EligibleReceivers.Target> targets) {
        return targets.stream().map(t -> new Delivery(record, t.platform().platform().id(), t.party())).toList();
    }

    /**
     * Stops consuming and waits until the consumer, closing, handed every partition over (deliveries on the wire
     * ended, what ended committed): SmartLifecycle beans stop before Spring destroys the delivery clients.
     */
    @Override
    public void stop() {
        if (running != null) {
            running.dispose();
            running = null;
            if (!backlog.awaitHandedOver()) {
                log.warn("the broadcast consumer did not hand its partitions over in time; their last pushes may "
                        + "be sent again by the next owner");
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running != null;
    }
}
