package org.ocpihub.broadcast.log;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.kafka.receiver.ReceiverOptions;
import reactor.kafka.receiver.internals.ConsumerFactory;

/**
 * Commits, as a partition moves to another hub instance, the records of it whose fan-out ended during the handover,
 * so that the new owner starts after them (issue 11, item 3: after a move a receiver gets again only what it had not
 * acknowledged).
 *
 * <p>Why it is needed: reactor-kafka (1.3) commits what was acknowledged <em>before</em> it calls the revoke
 * listeners, and forgets the moving partitions after them. The fan-out's revoke listener waits up to
 * {@code hub.broadcast.handover-grace} for the moving partitions' deliveries on the wire; their acknowledgements
 * came after that commit and were never committed, so the new owner sent them again. Under the KIP-848 protocol,
 * where the new owner gets a partition as soon as the old one released it, that was tens of pushes per move
 * (BroadcastRebalanceTest printed 39–120 sent again); under the classic protocol the second rebalance round
 * usually left time for the periodic commit.
 *
 * <p>It keeps, per partition this consumer reads, the offsets received and not yet acknowledged (at most the records
 * in the pipeline) and the next offset to read; {@link #commitMoving} commits, on the consumer's thread inside its
 * revoke callback, the first offset not acknowledged, as Kafka's {@code ConsumerRebalanceListener} documents. A
 * failed commit is logged: the new owner then sends those pushes again (at least once), nothing is lost.
 */
final class HandoverCommits {

    private static final Logger log = LoggerFactory.getLogger(HandoverCommits.class);
    private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(10);

    private final String topic;
    private final Map<Integer, Progress> progress = new ConcurrentHashMap<>();
    private final AtomicReference<Consumer<?, ?>> consumer = new AtomicReference<>();

    HandoverCommits(String topic) {
        this.topic = topic;
    }

    /**
     * reactor-kafka's consumer factory, keeping the consumer it makes for {@link #commitMoving}. The class sits in
     * reactor-kafka's {@code internals} package but is what its public {@code KafkaReceiver.create(ConsumerFactory,
     * options)} takes; nothing else reaches the consumer inside a revoke callback ({@code ReceiverPartition} cannot
     * commit, and {@code doOnConsumer} queues behind the callback that would wait for it).
     */
    ConsumerFactory consumerFactory() {
        return new ConsumerFactory() {
            @Override
            public <K, V> Consumer<K, V> createConsumer(ReceiverOptions<K, V> config) {
                Consumer<K, V> created = super.createConsumer(config);
                consumer.set(created);
                return created;
            }
        };
    }

    /**
     * A partition is this consumer's from {@code position} on (its assign callback), under assignment number
     * {@code assignment} ({@link AssignmentStamp}).
     */
    void assigned(int partition, long position, long assignment) {
        progress.put(partition, new Progress(position, assignment));
    }

    /**
     * A record was received; it is not acknowledged yet. A record of another assignment of its partition (one that
     * was still in the pipeline when the partition came back to this instance) is not counted: it is never
     * acknowledged, and counted it would hold the committable offset below what the group already committed.
     */
    void received(int partition, long offset, long assignment) {
        Progress p = progress.get(partition);
        if (p != null && p.assignment == assignment) {
            p.received(offset);
        }
    }

    /** A record's fan-out ended (it may be committed); ignored for another assignment of its partition. */
    void acknowledged(int partition, long offset, long assignment) {
        Progress p = progress.get(partition);
        if (p != null && p.assignment == assignment) {
            p.acknowledged(offset);
        }
    }

    /**
     * A newly assigned partition's position, asked inside the assign callback, through wake-ups: reactor-kafka wakes
     * its paused consumer whenever the fan-out asks for more records, and {@code position()} may have to fetch the
     * committed offset. Thrown out of the callback, the wake-up left the partition unannounced (the classic protocol
     * does not call the callback for it again) and its records refused until the next rebalance; so it is asked
     * again, and the wake-up passed on afterwards, as in {@link #commit}. Asked again for
     * {@link #POSITION_DEADLINE} at most (each ask may take the consumer's {@code default.api.timeout.ms}).
     *
     * @throws org.apache.kafka.common.errors.TimeoutException when wake-ups kept interrupting it past the deadline:
     *         out of the callback it fails the consumer, which the fan-out restarts (a new member, assigned anew),
     *         rather than leaving the partition unannounced
     */
    long position(LongSupplier position) {
        return position(position, POSITION_DEADLINE);
    }

    /** How long {@link #position(LongSupplier)} asks again through wake-ups. */
    static final Duration POSITION_DEADLINE = Duration.ofSeconds(60);

    /** {@link #position(LongSupplier)} with its deadline given (tests). */
    long position(LongSupplier position, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        boolean woken = false;
        try {
            while (true) {
                try {
                    return position.getAsLong();
                } catch (WakeupException e) {
                    if (System.nanoTime() - deadline >= 0) {
                        woken = false; // no poll is left to pass it on to: the consumer fails
                        throw new org.apache.kafka.common.errors.TimeoutException("the position of a newly "
                                + "assigned partition was interrupted by wake-ups for " + within, e);
                    }
                    woken = true;
                }
            }
        } finally {
            Consumer<?, ?> current = consumer.get();
            if (woken && current != null) {
                current.wakeup();
            }
        }
    }

    /**
     * Whether this consumer still owns the moving partitions in the group, so that the next owner starts only once
     * the revoke callback returned (a rebalance, or this consumer closing), rather than lost them (fenced out of the
     * group: the next owner may consume them already). reactor-kafka calls revoke listeners for both. Told by
     * committing what was acknowledged so far: the group refuses the commit of a member it fenced. A commit that
     * fails for another reason (no answer in time) counts as lost, the careful side: the fan-out then leaves the
     * unfinished pushes to the next owner, sent again rather than kept. Call only on the consumer's thread, inside
     * its revoke callback; blocks it up to 10 s.
     */
    boolean stillOwner(Collection<Integer> partitions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = committable(partitions, false);
        Consumer<?, ?> current = consumer.get();
        if (offsets.isEmpty() || current == null) {
            return true; // nothing received from them: nothing to hand over either way
        }
        try {
            commit(current, offsets);
            return true;
        } catch (KafkaException | IllegalStateException e) {
            log.warn("partitions {} moved and this instance could not commit them ({}): taken as lost, their "
                    + "unfinished pushes are left to the next owner", partitions, e.toString());
            return false;
        }
    }

    /**
     * Commits the moving partitions' progress and forgets them. Call only on the consumer's thread, inside its
     * revoke callback, after the fan-out let go of them. Blocks that thread up to 10 s (the Kafka consumer's own
     * thread, never an event loop).
     *
     * @param lost the group already refused a commit of them ({@link #stillOwner}): they are only forgotten
     */
    void commitMoving(Collection<Integer> partitions, boolean lost) {
        Map<TopicPartition, OffsetAndMetadata> offsets = committable(partitions, true);
        Consumer<?, ?> current = consumer.get();
        if (lost || offsets.isEmpty() || current == null) {
            return;
        }
        try {
            commit(current, offsets);
            log.debug("committed {} as they moved", offsets);
        } catch (KafkaException | IllegalStateException e) {
            // fenced, or the group moved on: the new owner sends these pushes again, nothing is lost
            log.warn("could not commit partitions {} as they moved (their last pushes may be sent again): {}",
                    partitions, e.toString());
        }
    }

    /** Per partition, the first offset not acknowledged; {@code forget}: the partitions' progress is dropped. */
    private Map<TopicPartition, OffsetAndMetadata> committable(Collection<Integer> partitions, boolean forget) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (Integer partition : partitions) {
            Progress p = forget ? progress.remove(partition) : progress.get(partition);
            if (p != null) {
                offsets.put(new TopicPartition(topic, partition), new OffsetAndMetadata(p.committable()));
            }
        }
        return offsets;
    }

    /**
     * {@code commitSync}, 10 s at most, through wake-ups: reactor-kafka wakes its paused consumer whenever the
     * fan-out asks for more records, and a pending wake-up surfaces in the next blocking call, which inside the
     * revoke callback is this commit. Taken for a failed commit, it made a rebalance look lost (no rows kept) or
     * left the hand-over uncommitted; so the commit is tried again, and the wake-up is passed on afterwards for the
     * poll it was meant for.
     */
    private static void commit(Consumer<?, ?> consumer, Map<TopicPartition, OffsetAndMetadata> offsets) {
        long deadline = System.nanoTime() + COMMIT_TIMEOUT.toNanos();
        boolean woken = false;
        try {
            while (true) {
                try {
                    consumer.commitSync(offsets, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
                    return;
                } catch (WakeupException e) {
                    woken = true;
                    if (System.nanoTime() - deadline >= 0) {
                        throw e;
                    }
                }
            }
        } finally {
            if (woken) {
                consumer.wakeup();
            }
        }
    }

    /** One partition's offsets in the pipeline. Guarded by itself. */
    private static final class Progress {
        private final TreeSet<Long> pending = new TreeSet<>();
        private final long assignment;
        private long next;

        Progress(long position, long assignment) {
            this.next = position;
            this.assignment = assignment;
        }

        synchronized void received(long offset) {
            pending.add(offset);
            next = Math.max(next, offset + 1);
        }

        synchronized void acknowledged(long offset) {
            pending.remove(offset);
        }

        /** The first offset not acknowledged: what the next owner must read first. */
        synchronized long committable() {
            return pending.isEmpty() ? next : pending.first();
        }
    }
}
