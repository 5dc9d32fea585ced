package org.ocpihub.broadcast.fanout;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import org.ocpihub.broadcast.delivery.Delivery;
import org.ocpihub.broadcast.fanout.ReceiverBacklogStore.Kept;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.retry.Retry;

/**
 * Writes the kept deliveries of one Kafka partition to PostgreSQL in acceptance order, as many records per
 * transaction as have queued up while the previous one committed (group commit). The fan-out so goes on while rows
 * are written, and one commit costs the partition once per batch, not once per record: a lagging receiver does not
 * slow the others to PostgreSQL's commit rate. Accepted means delivered, so a write is retried until PostgreSQL takes
 * it (readiness reports it down meanwhile); batches never overtake each other, so rows commit in offset order.
 */
final class BacklogWriter {

    private static final Logger log = LoggerFactory.getLogger(BacklogWriter.class);
    /** Records per transaction at most. */
    static final int MAX_BATCH = 256;

    private record Pending(Kept kept, Sinks.Empty<Void> done) {
    }

    private final int partition;
    private final ReceiverBacklogStore store;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private boolean writing;

    BacklogWriter(int partition, ReceiverBacklogStore store) {
        this.partition = partition;
        this.store = store;
    }

    /** Queues one record's deliveries; completes once their rows are committed. */
    Mono<Void> write(long offset, boolean stored, List<Delivery> deliveries) {
        Pending pending = new Pending(new Kept(offset, stored, deliveries), Sinks.empty());
        boolean start;
        synchronized (this) {
            queue.addLast(pending);
            start = !writing;
            writing = true;
        }
        if (start) {
            next();
        }
        return pending.done().asMono();
    }

    /** Records waiting for their transaction, including the one being written. */
    synchronized int queued() {
        return queue.size();
    }

    private void next() {
        List<Pending> batch;
        synchronized (this) {
            if (queue.isEmpty()) {
                writing = false;
                return;
            }
            batch = new ArrayList<>(Math.min(queue.size(), MAX_BATCH));
            for (Pending pending : queue) {
                if (batch.size() == MAX_BATCH) {
                    break;
                }
                batch.add(pending);
            }
        }
        store.spill(partition, batch.stream().map(Pending::kept).toList())
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(200)).maxBackoff(Duration.ofSeconds(30))
                        .doBeforeRetry(s -> log.warn("cannot keep {} broadcasts of partition {} for receivers that "
                                + "are behind, retrying: {}", batch.size(), partition, s.failure().toString())))
                .subscribe(v -> { }, e -> { }, () -> {
                    synchronized (this) {
                        for (int i = 0; i < batch.size(); i++) {
                            queue.pollFirst();
                        }
                    }
                    batch.forEach(p -> p.done().tryEmitEmpty());
                    next();
                });
    }
}
