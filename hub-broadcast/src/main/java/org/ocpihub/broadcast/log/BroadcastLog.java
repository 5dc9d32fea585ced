package org.ocpihub.broadcast.log;

import java.util.Map;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The durable log of accepted broadcasts (D7). The hub talks to Kafka only through this, because reactor-kafka is
 * discontinued upstream: a replacement needs to change one class.
 */
public interface BroadcastLog {

    /** Completes once the record is durably written (acknowledged by all in-sync replicas). */
    Mono<Void> append(BroadcastRecord record);

    /**
     * Appends records in this order, pipelined (not one round trip each); completes once all are durably written,
     * or with the first failure (records after it may be written or not: a retry may write some twice).
     */
    default Mono<Void> appendAll(java.util.List<BroadcastRecord> records) {
        return Flux.fromIterable(records).concatMap(this::append).then();
    }

    /** Records to fan out, shared among all hub instances; each must be acknowledged once fully handled. */
    default Flux<PendingBroadcast> consume() {
        return consume(new PartitionListener() { });
    }

    /**
     * Records to fan out, as {@link #consume()}, telling {@code listener} which partitions this instance was given
     * and which it lost (a rebalance). The listener runs on the log's own thread: it must return at once, but for
     * {@link PartitionListener#revoked}, which may wait a bounded time for work of the partitions to end.
     */
    Flux<PendingBroadcast> consume(PartitionListener listener);

    /**
     * Hears of the partitions an instance consumes; {@link #assigned} must return at once, {@link #revoked} within
     * a bounded time (the partitions move on when it returns).
     */
    interface PartitionListener {

        /**
         * This instance now consumes these partitions; their records come next.
         *
         * @param positions  per partition, the offset of the first record this instance will be given (the consumer
         *                   group's committed offset): records from there on are fanned out again
         * @param assignment this assignment's number ({@link PendingBroadcast#assignment()} of its records; a record
         *                   of an earlier assignment of the same partition, still in the pipeline, is not its)
         */
        default void assigned(Map<Integer, Long> positions, long assignment) {
        }

        /**
         * This instance no longer consumes these partitions (called on the log's own thread, never an event loop).
         * What was acknowledged when this returns is committed before they move.
         *
         * @param partitions per partition, the assignment that ends ({@link #assigned}'s number): a consumer closing
         *                   late, after a newer one of this instance was given the same partition, revokes only its
         *                   own assignment, never the newer one. The number is this consumer's earlier one, or 0,
         *                   for a partition whose assign callback failed before it was numbered (never announced to
         *                   {@link #assigned})
         * @param lost       true when the partitions were lost rather than handed over (this instance was fenced out
         *                   of the group): another instance may consume them already; false: it takes them over once
         *                   this returns
         */
        default void revoked(Map<Integer, Long> partitions, boolean lost) {
        }
    }

    /**
     * The fan-out's backlog over every instance: records appended that the fan-out has not yet acknowledged as
     * handled (for Kafka, the sum over the topic's partitions of the end offset minus the consumer group's committed
     * offset). A record is acknowledged once each of its deliveries ended, so this grows while receivers or the
     * fan-out lag. Empty when it cannot be measured now.
     */
    default Mono<Long> backlog() {
        return Mono.empty();
    }

    /**
     * A consumed record and how to say it was handled (deliveries done or recorded as failed).
     *
     * @param assignment the assignment of its partition it was fetched under ({@link PartitionListener#assigned}):
     *                   only that assignment fans it out
     */
    record PendingBroadcast(BroadcastRecord record, int partition, long offset, Runnable acknowledge,
                            long assignment) {
    }
}
