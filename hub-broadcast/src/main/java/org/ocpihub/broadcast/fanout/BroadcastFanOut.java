package org.ocpihub.broadcast.fanout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.ocpihub.broadcast.delivery.Delivery;
import org.ocpihub.broadcast.log.BroadcastLog;
import org.ocpihub.broadcast.log.BroadcastRecord;
import org.ocpihub.broadcast.store.BroadcastStore;
import org.ocpihub.broadcast.store.StoreErrors;
import org.ocpihub.broadcast.store.StoreFailures;
import org.ocpihub.registry.platform.PlatformRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import reactor.core.Disposable;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Fans accepted broadcasts out (D7): for each record of the log, in order per partition, applies it to the hub's
 * store (retrying only errors that may pass later, {@link StoreErrors}; a record the store can never hold is recorded in
 * {@link StoreFailures} and skipped, so it cannot stall its partition), then hands one delivery per eligible receiver
 * to that receiver's lane, or to the durable {@link ReceiverBacklog} when the receiver is behind, and moves on. The
 * record is acknowledged (its offset may be committed) only when every delivery ended (delivered or recorded as
 * failed) or is kept in PostgreSQL, so a hub that dies mid-fan-out loses nothing: another instance, or this one after
 * restart, delivers again.
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

    @Override
    public void start() {
        running = broadcastLog.consume(backlog)
                .groupBy(BroadcastLog.PendingBroadcast::partition)
                .flatMap(partition -> partition.concatMap(this::handle), 1024)
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofSeconds(1)).maxBackoff(Duration.ofSeconds(30))
                        .doBeforeRetry(s -> log.warn("broadcast consumer failed, restarting: {}",
                                s.failure().toString())))
                .subscribe();
    }

    private Mono<Void> handle(BroadcastLog.PendingBroadcast pending) {
        BroadcastRecord record = pending.record();
        AtomicInteger attempts = new AtomicInteger();
        AtomicBoolean stored = new AtomicBoolean();
        // which receivers still wait in PostgreSQL for this partition is known before its first record
        return backlog.ready(pending.partition()).then(Mono.defer(() -> {
                    attempts.incrementAndGet();
                    return store.apply(record);
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
                .flatMap(fanOut -> {
                    if (fanOut) {
                        return fanOut(pending, stored.get());
                    }
                    pending.acknowledge().run();
                    backlog.skipped(pending.partition(), pending.offset());
                    return Mono.<Void>empty();
                });
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
        BroadcastRecord record = pending.record();
        List<EligibleReceivers.Target> targets = EligibleReceivers.of(record, registry.snapshot());
        log.info("broadcast {} {} {} correlation_id={} → {} receivers", record.id(), record.method(),
                record.objectKey(), record.correlationId(), targets.size());
        List<Delivery> deliveries = targets.stream()
                .map(t -> new Delivery(record, t.platform().platform().id(), t.party()))
                .toList();
        ReceiverBacklog.Handed handed = backlog.submit(pending.partition(), pending.offset(), deliveries, stored);
        handed.ended()
                .doFinally(signal -> {
                    pending.acknowledge().run();
                    metrics.fannedOut(record);
                })
                .subscribe(v -> { }, e -> log.error("fan-out of {} failed: {}", record.id(), e.toString()));
        return handed.kept();
    }

    @Override
    public void stop() {
        if (running != null) {
            running.dispose();
            running = null;
        }
    }

    @Override
    public boolean isRunning() {
        return running != null;
    }
}
