package org.ocpihub.broadcast.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ocpihub.app.support.RunningHub;
import org.ocpihub.broadcast.delivery.Delivery;
import org.ocpihub.broadcast.fanout.ReceiverBacklog;
import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.ocpi.party.Role;
import org.ocpihub.ocpi.version.ModuleId;
import org.ocpihub.testkit.infra.TestInfrastructure;

import reactor.core.publisher.Signal;

/**
 * A partition revoked and given back to the same instance (a fenced instance that rejoins) starts again from the
 * committed offset, while records of its old assignment may still be in the fan-out's pipeline: fanned out under the
 * new assignment, they would reach receivers ahead of the same records fetched again, a push twice with the older copy
 * last. {@link AssignmentStamp} stamps every polled record with its partition's assignment, on a real consumer in a
 * real group; the fan-out's {@link ReceiverBacklog} leaves a record whose stamp is not its current assignment's.
 */
class AssignmentStampTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int RECORDS = 3;

    @ParameterizedTest(name = "group protocol {0}")
    @ValueSource(strings = {"classic", "consumer"})
    void recordsFetchedAgainAfterTheirPartitionCameBackCarryTheNewAssignment(String protocol) throws Exception {
        long unique = System.nanoTime();
        String topic = "ocpihub.assignment-stamp-" + unique;
        String bootstrap = TestInfrastructure.get().kafkaBootstrapServers();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        TestRecords.produce(bootstrap, topic, RECORDS);
        AssignmentStamp.Assignments assignments = new AssignmentStamp.Assignments();
        ConsumerRebalanceListener listener = new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
                // as KafkaBroadcastLog's assign listener does (an incremental callback may list no partition)
                assignments.assign(assigned.stream().map(TopicPartition::partition).toList());
            }

            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
            }
        };
        Map<String, Object> config = new HashMap<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "ocpihub-assignment-stamp-" + unique,
                ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                // as KafkaBroadcastLog sets it when the operator has an interceptor of their own
                ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG, AssignmentStamp.after(OperatorsInterceptor.class.getName()),
                AssignmentStamp.CONFIG, assignments));
        if ("classic".equals(protocol)) {
            // incremental, as the fan-out's consumer (KafkaBroadcastLog)
            config.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        }
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            consumer.subscribe(List.of(topic), listener);
            List<ConsumerRecord<String, String>> first = TestRecords.pollAll(consumer, RECORDS);
            long firstAssignment = assignments.of(0);

            // the partition is revoked and given back: nothing was committed, so the same records come again
            consumer.unsubscribe();
            consumer.subscribe(List.of(topic), listener);
            List<ConsumerRecord<String, String>> again = TestRecords.pollAll(consumer, RECORDS);
            long secondAssignment = assignments.of(0);

            assertThat(firstAssignment).isPositive();
            assertThat(secondAssignment).isGreaterThan(firstAssignment);
            assertThat(first).extracting(r -> AssignmentStamp.of(r.headers())).containsOnly(firstAssignment);
            assertThat(again).extracting(r -> AssignmentStamp.of(r.headers())).containsOnly(secondAssignment);
            assertThat(again).extracting(ConsumerRecord::offset)
                    .as("the same records again").containsExactlyElementsOf(first.stream().map(ConsumerRecord::offset)
                            .toList());
            assertThat(OperatorsInterceptor.SEEN.get(topic)).as("the operator's interceptor saw every record too")
                    .hasValue(2 * RECORDS);
        }
    }

    /** An operator's own consumer interceptor (say, tracing) from {@code spring.kafka.properties}: counts per topic. */
    public static final class OperatorsInterceptor implements ConsumerInterceptor<Object, Object> {
        static final Map<String, AtomicInteger> SEEN = new ConcurrentHashMap<>();

        @Override
        public ConsumerRecords<Object, Object> onConsume(ConsumerRecords<Object, Object> records) {
            records.forEach(r -> SEEN.computeIfAbsent(r.topic(), t -> new AtomicInteger()).incrementAndGet());
            return records;
        }

        @Override
        public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {
        }

        @Override
        public void close() {
        }

        @Override
        public void configure(Map<String, ?> configs) {
        }
    }

    @Test
    void theFanOutLeavesARecordOfAnEarlierAssignmentOfAPartitionItHoldsAgain() {
        ReceiverBacklog backlog = RunningHub.shared().context().getBean(ReceiverBacklog.class);
        // far beyond the topic's partitions: the hub's own consumer never hears of it
        int partition = 1_000_000 + ThreadLocalRandom.current().nextInt(1_000_000);
        backlog.assigned(Map.of(partition, 0L), 41);
        assertThat(backlog.holds(partition, 41)).isTrue();
        backlog.revoked(Map.of(partition, 41L), true); // lost: this instance was fenced
        backlog.assigned(Map.of(partition, 0L), 42); // and given it back after it rejoined
        try {
            assertThat(backlog.holds(partition, 42)).as("records of the new assignment").isTrue();
            assertThat(backlog.holds(partition, 41)).as("records of the old assignment still in the pipeline")
                    .isFalse();
            assertRefusedAsMoved(backlog, partition, 41,
                    "not acknowledged: the record is fanned out once more, fetched again");
        } finally {
            backlog.revoked(Map.of(partition, 42L), true);
        }
    }

    /**
     * The fan-out restarts a failed consumer once it handed its partitions over; if that hand-over comes late (it
     * timed out), the failed consumer's revoke arrives after its successor was given the same partition. It must
     * leave the successor's hold: removed, every record of the successor would be refused as moved and its partition
     * would stall until the next rebalance.
     */
    @Test
    void aLateRevocationOfAnEarlierAssignmentLeavesTheNewerHold() {
        ReceiverBacklog backlog = RunningHub.shared().context().getBean(ReceiverBacklog.class);
        int partition = 1_000_000 + ThreadLocalRandom.current().nextInt(1_000_000);
        backlog.assigned(Map.of(partition, 0L), 51); // the consumer that fails
        backlog.assigned(Map.of(partition, 0L), 52); // its successor, given the partition before the old one's revoke
        try {
            assertThat(backlog.holds(partition, 51)).as("the failed consumer's hold ended when it was replaced")
                    .isFalse();
            assertRefusedAsMoved(backlog, partition, 51,
                    "a record of it still in the pipeline is left to the successor");
            backlog.revoked(Map.of(partition, 51L), true); // the failed consumer, closing late: it lost them
            assertThat(backlog.holds(partition, 52)).as("the successor still holds it").isTrue();
        } finally {
            backlog.revoked(Map.of(partition, 52L), true);
        }
        assertThat(backlog.holds(partition, 52)).as("its own revocation ends it").isFalse();
    }

    private static Delivery delivery() {
        String id = UUID.randomUUID().toString();
        BroadcastRecord record = new BroadcastRecord(id, "assignment-stamp-" + id, ModuleId.LOCATIONS, "PUT",
                PartyId.of("NL", "CPO"), Role.CPO, UUID.randomUUID(), "/NL/CPO/LOC1", null,
                "{\"id\":\"LOC1\"}".getBytes(StandardCharsets.UTF_8), Instant.now());
        return new Delivery(record, UUID.randomUUID(), PartyId.of("NL", "MSP"));
    }

    /** A record of {@code assignment} submitted now ends refused as moved: it is not acknowledged here. */
    private static void assertRefusedAsMoved(ReceiverBacklog backlog, int partition, long assignment, String why) {
        Signal<Void> ended = backlog.submit(partition, assignment, 7, List.of(delivery()), true).ended().materialize()
                .block(WAIT);
        assertThat(ended.getThrowable()).as(why).satisfies(e -> assertThat(ReceiverBacklog.moved(e)).isTrue());
    }
}
