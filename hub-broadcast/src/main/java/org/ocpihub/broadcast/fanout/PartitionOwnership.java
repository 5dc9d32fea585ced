package org.ocpihub.broadcast.fanout;

import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * This instance's hold on one Kafka partition of the broadcast log, for one assignment (issue 11, item 5). Every
 * delivery fanned out from the partition carries it; a delivery starts only while the hold lasts, and once the
 * partition moves to another instance ({@link #revoke()}) the deliveries still waiting in lanes are withdrawn unsent:
 * the new owner sends them again from the group's committed offset, in order. Deliveries already on the wire are
 * counted so that the hand-over can wait for them ({@link #awaitDeliveries}), and the new owner's resend of an object
 * cannot overtake them at the receiver.
 *
 * <p>Thread-safe. {@link #tryStart()} increments before it reads the flag and {@link #revoke()} sets the flag before
 * the count is read, so a delivery either is counted before the hand-over waits, or sees the revocation and does not
 * start.
 */
final class PartitionOwnership {

    private final int partition;
    private final long position;
    private volatile boolean revoked;
    private final AtomicInteger onTheWire = new AtomicInteger();

    /**
     * @param partition the partition's number
     * @param position  the offset of the first record this instance is given from it
     */
    PartitionOwnership(int partition, long position) {
        this.partition = partition;
        this.position = position;
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
