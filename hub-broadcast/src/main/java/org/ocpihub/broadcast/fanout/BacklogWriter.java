package org.ocpihub.broadcast.fanout;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.ocpihub.broadcast.delivery.Delivery;
import org.ocpihub.broadcast.fanout.ReceiverBacklogStore.Kept;
import org.ocpihub.broadcast.log.BroadcastRecord;
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
 *
 * <p>A record whose partition this instance no longer keeps rows for ({@link PartitionOwnership#keepsRows()}: lost,
 * or its hand-over closed) is dropped unwritten when its batch is picked and before each attempt at writing it: the
 * next owner fans it out again from the committed offset, so its row would be a stale duplicate, drained after newer
 * pushes of its object. A batch whose transaction is under way then is rolled back just before its commit (the store
 * asks again inside the transaction) and written again without those records.
 *
 * <p>This instance may not know yet that it lost the partition (fenced out of the group, its consumer has not polled
 * since). So every transaction is also fenced in PostgreSQL: it holds the partition's claim
 * ({@link ReceiverBacklogStore#claim}) from its first statement to its commit, and a new owner claims the partition
 * before it reads the rows, waiting for such a transaction. Rows either commit before the new owner reads them (it
 * drains them, and the same deliveries it fans out again add no row twice), or the write finds the claim taken and
 * ends as moved ({@link PartitionOwnership#claimLost}). A partition that moves during the commit's own round trip so
 * leaves no stale row either; its records are only not reported as kept (the new owner sends them).
 */
final class BacklogWriter {

    private static final Logger log = LoggerFactory.getLogger(BacklogWriter.class);
    /**
     * Records per transaction, counted as the records the rows store ({@link Kept#records()}: one per data push, one
     * per entry of a new member's Hub Client Info list, which is one Kafka record holding up to 500). A batch takes
     * the next Kafka record while it holds fewer, so a list may carry it up to 500 past this.
     */
    static final int MAX_BATCH = 256;
    /**
     * Pushed bodies per transaction at most (one record may be larger): the transaction holds the partition's claim
     * while its statements are encoded, under {@code ReceiverBacklogStore.HOLD_IDLE_TIMEOUT}.
     */
    static final int MAX_BATCH_BYTES = 8 << 20;

    /**
     * One record's rows waiting for a transaction; {@code records} and {@code bytes}: the records they store and
     * their bodies' size ({@link Kept#records()}), counted once.
     */
    private record Pending(Kept kept, int records, long bytes, PartitionOwnership ownership,
                           Sinks.Empty<Void> done) {

        static Pending of(Kept kept, PartitionOwnership ownership) {
            List<BroadcastRecord> records = kept.records();
            long bytes = 0;
            for (BroadcastRecord record : records) {
                bytes += record.body().length;
            }
            return new Pending(kept, records.size(), bytes, ownership, Sinks.empty());
        }
    }

    private final int partition;
    private final ReceiverBacklogStore store;
    private final Consumer<PartitionOwnership> claimLostWhileHeld;
    /** Records waiting for a batch. Guarded by this object. */
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    /** The records they store ({@link Kept#records()}). Guarded by this object. */
    private int queuedRecords;
    /** Records the batch being written stores. Guarded by this object. */
    private int inBatch;
    private boolean writing;

    /**
     * @param claimLostWhileHeld told the hold when a write finds another instance's claim while the hold is not
     *                           revoked (this instance was fenced out of the group and its consumer has not noticed
     *                           yet, or a claim came out of the group's order): the consumer should rejoin and claim
     *                           again
     */
    BacklogWriter(int partition, ReceiverBacklogStore store, Consumer<PartitionOwnership> claimLostWhileHeld) {
        this.partition = partition;
        this.store = store;
        this.claimLostWhileHeld = claimLostWhileHeld;
    }

    /**
     * Queues one record's deliveries. Completes once their rows are committed; fails with
     * {@link ReceiverBacklog.PartitionMoved} when the partition was lost or its hand-over closed before that (the
     * rows were dropped unwritten or rolled back, or, moved during the commit itself, committed): the record must then
     * not be acknowledged ({@link ReceiverBacklog#moved}), the next owner sends it again.
     *
     * @param ownership the hold on the partition the record was fanned out under
     */
    Mono<Void> write(PartitionOwnership ownership, long offset, boolean stored, List<Delivery> deliveries) {
        Pending pending = Pending.of(new Kept(offset, stored, deliveries), ownership);
        boolean start;
        synchronized (this) {
            queue.addLast(pending);
            queuedRecords += pending.records();
            start = !writing;
            writing = true;
        }
        if (start) {
            next();
        }
        return pending.done().asMono();
    }

    /** Records waiting for their transaction, including those being written (as {@link Kept#records()} counts). */
    synchronized int queued() {
        return queuedRecords + inBatch;
    }

    private void next() {
        List<Pending> batch = new ArrayList<>(0);
        List<Pending> dropped = new ArrayList<>(0);
        synchronized (this) {
            long bytes = 0;
            int records = 0;
            while (!queue.isEmpty() && records < MAX_BATCH && bytes < MAX_BATCH_BYTES) {
                Pending pending = queue.peekFirst();
                if (!pending.ownership().keepsRows()) {
                    dropped.add(queue.pollFirst());
                    queuedRecords -= pending.records();
                } else if (batch.isEmpty() || batch.get(0).ownership() == pending.ownership()) {
                    batch.add(queue.pollFirst());
                    queuedRecords -= pending.records();
                    bytes += pending.bytes();
                    records += pending.records();
                } else {
                    break; // a batch is written under one claim of the partition: the next hold's go next
                }
            }
            inBatch = records; // counted as the batch was taken
            writing = !batch.isEmpty();
        }
        moved(dropped);
        if (batch.isEmpty()) {
            return;
        }
        Mono.defer(() -> attempt(batch))
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(200)).maxBackoff(Duration.ofSeconds(30))
                        .doBeforeRetry(s -> log.warn("cannot keep {} broadcasts of partition {} for receivers that "
                                + "are behind, retrying: {}", batch.size(), partition, s.failure().toString())))
                .subscribe(v -> { }, e -> { }, () -> {
                    synchronized (this) {
                        inBatch = 0;
                    }
                    committed(batch);
                    next();
                });
    }

    /**
     * Ends the writes of a committed batch. A record whose partition moved while its transaction ran is not reported
     * as kept: the hand-over that would have committed it is over (it may even be acknowledged after the partition
     * was forgotten, and committed over the next owner's progress), and the next owner sends it again; its rows are
     * no duplicate, the next owner claims the partition only after they committed and reads them.
     */
    private void committed(List<Pending> batch) {
        List<Pending> late = new ArrayList<>(0);
        for (Pending pending : batch) {
            if (pending.ownership().keepsRows()) {
                pending.done().tryEmitEmpty();
            } else {
                late.add(pending);
            }
        }
        if (!late.isEmpty()) {
            // the new owner claims the partition after this commit, so it reads these rows and drains them once
            log.info("{} broadcasts of partition {} were kept for receivers that are behind as the partition moved to "
                    + "another instance, which drains them", late.size(), partition);
            late.forEach(p -> p.done().tryEmitError(ReceiverBacklog.PartitionMoved.INSTANCE));
        }
    }

    /**
     * One try at writing the batch, without the records whose partition moved since it was picked (a retry may come
     * half a minute later). Only this writer's chain touches {@code batch}, one attempt at a time.
     */
    private Mono<Void> attempt(List<Pending> batch) {
        List<Pending> dropped = new ArrayList<>(0);
        batch.removeIf(pending -> !pending.ownership().keepsRows() && dropped.add(pending));
        synchronized (this) {
            inBatch = records(batch);
        }
        moved(dropped);
        if (batch.isEmpty()) {
            return Mono.empty();
        }
        // asked again just before the commit: a partition that moved while the rows were written rolls them back,
        // and the batch is tried at once without its records (ownership never comes back, so this ends)
        PartitionOwnership ownership = batch.get(0).ownership(); // the whole batch's (next)
        return store.spill(partition, ownership.epoch(), batch.stream().map(Pending::kept).toList(),
                        ownership::keepsRows)
                .onErrorResume(e -> e == ReceiverBacklogStore.ClaimLost.INSTANCE, e -> {
                    if (ownership.revoked()) {
                        log.warn("partition {} was claimed by another hub instance during its hand-over: no more "
                                + "rows of it are kept here; the new owner sends its pushes", partition);
                    } else {
                        // fenced out of the group (a long pause) and not told yet by its consumer; or, never expected
                        // since claims are taken in the group's order of owners, a later claim not the owner's
                        log.warn("partition {} was claimed by another hub instance while this one still consumes "
                                + "it (fenced out of the consumer group, or a claim out of order): it keeps no more "
                                + "rows of it and rejoins the group", partition);
                        claimLostWhileHeld.accept(ownership);
                    }
                    ownership.claimLost(); // the retry drops the batch
                    return Mono.defer(() -> attempt(batch));
                })
                .onErrorResume(ReceiverBacklog::moved, e -> Mono.defer(() -> attempt(batch)));
    }

    private static int records(List<Pending> batch) {
        int records = 0;
        for (Pending pending : batch) {
            records += pending.records();
        }
        return records;
    }

    /** Ends dropped records' writes: not kept, so not to be acknowledged (the next owner sends them again). */
    private void moved(List<Pending> dropped) {
        if (dropped.isEmpty()) {
            return;
        }
        log.info("{} broadcasts of partition {} were not kept for receivers that are behind: the partition moved to "
                + "another instance, which sends them again", dropped.size(), partition);
        dropped.forEach(p -> p.done().tryEmitError(ReceiverBacklog.PartitionMoved.INSTANCE));
    }
}
