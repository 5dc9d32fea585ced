package org.ocpihub.broadcast.fanout;

import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import reactor.core.publisher.Mono;

/**
 * This instance's hold on one Kafka partition of the broadcast log, for one assignment (issue 11, item 5). Every
 * delivery fanned out from the partition carries it; a delivery starts only while the hold lasts, and once the
 * partition moves to another instance ({@link #revoke()}) the deliveries still waiting in lanes are withdrawn unsent:
 * the new owner sends them again from the group's committed offset, in order. Deliveries already on the wire are
 * counted so that the hand-over can wait for them ({@link #awaitDeliveries}), and the new owner's resend of an object
 * cannot overtake them at the receiver.
 *
 * <p>At the hand-over the deliveries of the partition that have not ended (still waiting in a lane, or on the wire
 * after the grace: a slow or down receiver) become rows of the receiver backlog ({@link #openHandOver()}), so that
 * their records can be acknowledged and committed and only those receivers get them again, from the new owner. The
 * hand-over waits for the partition's records to end ({@link #awaitRecords}) and then closes ({@link
 * #closeHandOver()}): a delivery that ends later is left to the new owner, its record not acknowledged here.
 *
 * <p>Thread-safe. {@link #tryStart()} increments before it reads the flag and {@link #revoke()} sets the flag before
 * the count is read, so a delivery either is counted before the hand-over waits, or sees the revocation and does not
 * start; {@link #recordOpened()} and the revocation pair up the same way.
 */
final class PartitionOwnership {

    private final int partition;
    private final long position;
    private final long assignment;
    private volatile boolean revoked;
    private final AtomicInteger onTheWire = new AtomicInteger();
    /** Records of the partition handed to the backlog whose deliveries have not all ended or been kept. */
    private final AtomicInteger openRecords = new AtomicInteger();
    /** 0: held or revoked; 1: the hand-over takes unfinished deliveries as rows; 2: it closed. */
    private volatile int handOver;
    /** Deliveries kept as rows by the hand-over. */
    private final AtomicInteger handedOver = new AtomicInteger();
    /** The claim this hold keeps rows under ({@link ReceiverBacklogStore#claim}); 0: none (tests of lanes). */
    private final long epoch;
    /** The read of who waits in PostgreSQL for the partition, once per hold ({@link #rowsRead}). */
    private volatile Mono<Void> rowsRead;
    /** Another instance claimed the partition since. */
    private volatile boolean claimLost;

    /**
     * @param partition  the partition's number
     * @param position   the offset of the first record this instance is given from it
     * @param assignment the assignment's number ({@code BroadcastLog.PartitionListener#assigned}); records stamped
     *                   with another are not this hold's
     * @param epoch      the partition's claim in PostgreSQL ({@link ReceiverBacklogStore#claim}) rows are kept under
     */
    PartitionOwnership(int partition, long position, long assignment, long epoch) {
        this.partition = partition;
        this.position = position;
        this.assignment = assignment;
        this.epoch = epoch;
    }

    /** A hold outside an assignment and unclaimed (tests): assignment 0, as records without a stamp; no rows. */
    PartitionOwnership(int partition, long position) {
        this(partition, position, 0, 0);
    }

    long assignment() {
        return assignment;
    }

    /** The claim rows are kept under ({@link ReceiverBacklogStore#spill}); 0 for an unclaimed hold (tests). */
    long epoch() {
        return epoch;
    }

    /** The read of the partition's waiting receivers for this hold: made by {@code read} on the first call, cached. */
    Mono<Void> rowsRead(Supplier<Mono<Void>> read) {
        Mono<Void> made = rowsRead; // asked before every record: no lock once made
        if (made != null) {
            return made;
        }
        synchronized (this) {
            if (rowsRead == null) {
                rowsRead = read.get();
            }
            return rowsRead;
        }
    }

    int partition() {
        return partition;
    }

    long position() {
        return position;
    }

    boolean revoked() {
        return revoked;
    }

    /** Before a delivery is sent: false (and nothing counted) once the partition moved away. */
    boolean tryStart() {
        onTheWire.incrementAndGet();
        if (revoked) {
            onTheWire.decrementAndGet();
            return false;
        }
        return true;
    }

    /** A delivery that {@link #tryStart() started} ended, however. */
    void ended() {
        onTheWire.decrementAndGet();
    }

    /** The partition moved away: no delivery of it starts from now on. */
    void revoke() {
        revoked = true;
    }

    /**
     * A record of the partition is being fanned out. Call before looking at {@link #revoked()}: a record opened
     * after the partition moved away is backed out ({@link #recordEnded()}) and left to the new owner.
     */
    void recordOpened() {
        openRecords.incrementAndGet();
    }

    /** A record {@link #recordOpened() opened} ended: acknowledged, or left to the new owner. */
    void recordEnded() {
        openRecords.decrementAndGet();
    }

    /** Records of the partition whose fan-out has not ended. */
    int openRecords() {
        return openRecords.get();
    }

    /** The hand-over now keeps the partition's unfinished deliveries as backlog rows (after {@link #revoke()}). */
    void openHandOver() {
        handOver = 1;
    }

    /** Whether an unfinished delivery of the partition becomes a backlog row now, rather than the new owner's. */
    boolean takesRows() {
        return handOver == 1 && !claimLost;
    }

    /**
     * Whether a backlog row of the partition may still be written: the partition is held, or its hand-over takes
     * rows. Once it was lost or its hand-over closed, the next owner may have read the partition's rows already and
     * fans the record out again itself, so a row written now would be a stale duplicate, drained later, after newer
     * pushes of its object. The same once another instance claimed the partition in PostgreSQL ({@link #claimLost}).
     * The revocation is read first: {@link #openHandOver()} comes before {@link #revoke()}.
     */
    boolean keepsRows() {
        return (!revoked || handOver == 1) && !claimLost;
    }

    /**
     * Another instance claimed the partition in PostgreSQL since this hold did ({@link ReceiverBacklogStore#claim}):
     * this instance was fenced out of the consumer group, whether or not its consumer noticed yet, and writes no row
     * of the partition any more.
     */
    void claimLost() {
        claimLost = true;
    }

    /** The hand-over is over: what ends from now on is left to the new owner. */
    void closeHandOver() {
        handOver = 2;
    }

    /** One more delivery kept as a row by the hand-over. */
    void handedOver() {
        handedOver.incrementAndGet();
    }

    /** Deliveries kept as rows by the hand-over. */
    int handedOverRows() {
        return handedOver.get();
    }

    /**
     * Waits until no record of these revoked partitions is being fanned out, at most {@code within}. Blocks the
     * calling thread: only for the Kafka consumer's, inside its revoke callback.
     *
     * @return records still open when the time ran out (0: all ended)
     */
    static int awaitRecords(Collection<PartitionOwnership> revoked, Duration within) {
        awaitUntil(() -> revoked.stream().allMatch(o -> o.openRecords() == 0), within);
        return revoked.stream().mapToInt(PartitionOwnership::openRecords).sum();
    }

    /** Deliveries of the partition being sent now. */
    int onTheWire() {
        return onTheWire.get();
    }

    /**
     * Waits until no delivery of these revoked partitions is on the wire, at most {@code grace}. Blocks the calling
     * thread: only for the Kafka consumer's own thread, inside its revoke callback (the group waits for it anyway, and
     * it is not an event loop).
     *
     * @return deliveries still on the wire when the grace ran out (0: all ended)
     */
    static int awaitDeliveries(Collection<PartitionOwnership> revoked, Duration grace) {
        awaitUntil(() -> revoked.stream().allMatch(o -> o.onTheWire() == 0), grace);
        return revoked.stream().mapToInt(PartitionOwnership::onTheWire).sum();
    }

    /**
     * Waits until {@code done} holds, looking every 5 ms, at most {@code within}. Blocks the calling thread: only for
     * threads that may wait (the Kafka consumer's inside its revoke callback, Spring's at shutdown), never an event
     * loop.
     *
     * @return whether it holds
     */
    static boolean awaitUntil(BooleanSupplier done, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        return true;
    }
}
