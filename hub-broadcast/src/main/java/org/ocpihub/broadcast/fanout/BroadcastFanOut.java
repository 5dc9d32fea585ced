package org.ocpihub.broadcast.fanout;

import java.time.Duration;
import java.util.List;

import org.ocpihub.broadcast.delivery.Delivery;
import org.ocpihub.broadcast.delivery.DeliveryClient;
import org.ocpihub.broadcast.delivery.DeliveryFailureStore;
import org.ocpihub.broadcast.delivery.DeliveryOutcome;
import org.ocpihub.broadcast.log.BroadcastLog;
import org.ocpihub.broadcast.log.BroadcastRecord;
import org.ocpihub.broadcast.store.BroadcastStore;
import org.ocpihub.registry.platform.PlatformRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Fans accepted broadcasts out (D7): for each record of the log, in order per partition, applies it to the hub's
 * store, then hands one delivery per eligible receiver to that receiver's lane and moves on at once. The record is
 * acknowledged (its offset may be committed) only when every delivery ended, delivered or recorded as failed, so a
 * hub that dies mid-fan-out loses nothing: another instance, or this one after restart, delivers again.
 */
@Component
public class BroadcastFanOut implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(BroadcastFanOut.class);

    private final BroadcastLog broadcastLog;
    private final BroadcastStore store;
    private final PlatformRegistry registry;
    private final ReceiverLanes lanes;
    private final DeliveryFailureStore failures;
    private final BroadcastMetrics metrics;
    private volatile Disposable running;

    public BroadcastFanOut(BroadcastLog broadcastLog, BroadcastStore store, PlatformRegistry registry,
                           ReceiverLanes lanes, DeliveryFailureStore failures, BroadcastMetrics metrics) {
        this.broadcastLog = broadcastLog;
        this.store = store;
        this.registry = registry;
        this.lanes = lanes;
        this.failures = failures;
        this.metrics = metrics;
    }

    @Override
    public void start() {
        running = broadcastLog.consume()
                .groupBy(BroadcastLog.PendingBroadcast::partition)
                .flatMap(partition -> partition.concatMap(this::handle), 1024)
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofSeconds(1)).maxBackoff(Duration.ofSeconds(30))
                        .doBeforeRetry(s -> log.warn("broadcast consumer failed, restarting: {}",
                                s.failure().toString())))
                .subscribe();
    }

    private Mono<Void> handle(BroadcastLog.PendingBroadcast pending) {
        BroadcastRecord record = pending.record();
        return store.apply(record)
                .retryWhen(Retry.backoff(5, Duration.ofMillis(200)))
                .onErrorResume(e -> {
                    // the fan-out goes on: receivers are the truth for their copies; the store resyncs on the next push
                    log.error("could not store broadcast {} ({} {}) correlation_id={}: {}", record.id(),
                            record.method(), record.objectKey(), record.correlationId(), e.toString());
                    return Mono.empty();
                })
                .then(Mono.fromRunnable(() -> fanOut(pending)));
    }

    /** Queues every delivery now, in order; acknowledges the record once all of them ended. */
    private void fanOut(BroadcastLog.PendingBroadcast pending) {
        BroadcastRecord record = pending.record();
        List<EligibleReceivers.Target> targets = EligibleReceivers.of(record, registry.snapshot());
        log.info("broadcast {} {} {} correlation_id={} → {} receivers", record.id(), record.method(),
                record.objectKey(), record.correlationId(), targets.size());
        Flux.fromIterable(targets)
                .map(t -> new Delivery(record, t.platform().platform().id(), t.party()))
                .map(delivery -> lanes.submit(delivery).flatMap(result -> settle(delivery, result)))
                .collectList()
                .flatMap(Mono::when)
                .doFinally(signal -> {
                    pending.acknowledge().run();
                    metrics.fannedOut(record);
                })
                .subscribe(v -> { }, e -> log.error("fan-out of {} failed: {}", record.id(), e.toString()));
    }

    private Mono<Void> settle(Delivery delivery, DeliveryClient.Result result) {
        metrics.delivery(delivery, result);
        if (result.outcome() != DeliveryOutcome.FAILED) {
            return Mono.empty();
        }
        log.warn("delivery of broadcast {} to {} failed after {} attempts correlation_id={}: {}",
                delivery.record().id(), delivery.receiver(), result.attempts(), delivery.record().correlationId(),
                result.error());
        return failures.record(delivery, result.attempts(), result.error())
                .retryWhen(Retry.backoff(5, Duration.ofMillis(200)))
                .doOnError(e -> log.error("could not record failed delivery of {} to {}: {}", delivery.record().id(),
                        delivery.receiver(), e.toString()))
                .onErrorResume(e -> Mono.empty())
                .then();
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
