package org.ocpihub.broadcast.log;

import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

/**
 * Stamps every record the fan-out's consumer polls with the assignment of its partition it was fetched under, as a
 * header ({@value #HEADER}, 8 bytes, big-endian). Why: a partition revoked and given back to this same instance (a
 * fenced instance that rejoins) starts again from the committed offset, while records of the old assignment are still
 * in the pipeline (reactor-kafka does not take back what it already emitted). Fanned out under the new assignment,
 * they would reach receivers ahead of the same records fetched again: a push twice, the older copy last. With the
 * stamp, the fan-out tells them apart ({@code ReceiverBacklog.holds(partition, assignment)}) and leaves them.
 * <p>
 * Kafka makes this interceptor from its class name ({@code interceptor.classes}) and calls it on the consumer's
 * thread at the end of each poll, after that poll's rebalance callbacks; the stamps come from the {@link Assignments}
 * passed in the consumer's configuration under {@value #CONFIG}.
 */
public final class AssignmentStamp implements ConsumerInterceptor<Object, Object> {

    /** The record header holding the stamp. */
    public static final String HEADER = "ocpihub-assignment";
    /** The consumer configuration key of the {@link Assignments} to stamp from. */
    public static final String CONFIG = "ocpihub.assignments";

    private Assignments assignments;

    /** Made by Kafka. */
    public AssignmentStamp() {
    }

    @Override
    public void configure(Map<String, ?> configs) {
        if (!(configs.get(CONFIG) instanceof Assignments given)) {
            throw new IllegalStateException(CONFIG + " missing from the consumer's configuration");
        }
        this.assignments = given;
    }

    @Override
    public ConsumerRecords<Object, Object> onConsume(ConsumerRecords<Object, Object> records) {
        for (ConsumerRecord<Object, Object> record : records) {
            record.headers().add(HEADER, ByteBuffer.allocate(Long.BYTES)
                    .putLong(assignments.of(record.partition())).array());
        }
        return records;
    }

    /**
     * The fan-out consumer's {@code interceptor.classes}: an operator's own (from {@code spring.kafka.properties}, e.g.
     * a tracing interceptor), then this one, which so stamps the records they pass on. Kafka calls them in order.
     *
     * @param operators the operator's comma-separated list, or null/blank for none
     */
    public static String after(String operators) {
        return operators == null || operators.isBlank() ? AssignmentStamp.class.getName()
                : operators.trim() + "," + AssignmentStamp.class.getName();
    }

    /** The stamp of a polled record; 0 when it has none (not polled through this interceptor). */
    public static long of(Iterable<Header> headers) {
        long stamp = 0;
        for (Header header : headers) {
            if (HEADER.equals(header.key()) && header.value() != null && header.value().length == Long.BYTES) {
                stamp = ByteBuffer.wrap(header.value()).getLong();
            }
        }
        return stamp;
    }

    @Override
    public void onCommit(Map<TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> offsets) {
    }

    @Override
    public void close() {
    }

    /**
     * One consumer's current assignment of each partition: a number that grows with every assign callback, drawn from
     * a counter that consumers made one after the other share (a restarted consumer's numbers follow the failed
     * one's). Thread-safe.
     */
    public static final class Assignments {
        private final AtomicLong last;
        private final Map<Integer, Long> current = new ConcurrentHashMap<>();

        /** Numbers of its own, from 1. */
        public Assignments() {
            this(new AtomicLong());
        }

        /** Numbers drawn from {@code numbers}, shared with the consumers before and after this one. */
        public Assignments(AtomicLong numbers) {
            this.last = numbers;
        }

        /** A new assignment of these partitions (the assign callback); returns its number, never 0. */
        public long assign(Collection<Integer> partitions) {
            long assignment = last.incrementAndGet();
            partitions.forEach(p -> current.put(p, assignment));
            return assignment;
        }

        /** The partition's current assignment, 0 if it was never assigned. */
        public long of(int partition) {
            return current.getOrDefault(partition, 0L);
        }
    }
}
