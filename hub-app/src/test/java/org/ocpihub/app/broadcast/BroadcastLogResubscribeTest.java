package org.ocpihub.app.broadcast;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.ocpihub.broadcast.BroadcastProperties;
import org.ocpihub.broadcast.log.BroadcastLog.PartitionListener;
import org.ocpihub.broadcast.log.BroadcastLog.PendingBroadcast;
import org.ocpihub.broadcast.log.BroadcastRecord;
import org.ocpihub.broadcast.log.KafkaBroadcastLog;
import org.ocpihub.broadcast.log.KafkaConnection;
import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.ocpi.party.Role;
import org.ocpihub.ocpi.version.ModuleId;
import org.ocpihub.testkit.infra.TestInfrastructure;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import reactor.core.publisher.Flux;

/**
 * The fan-out restarts a failed consumer by subscribing to {@link KafkaBroadcastLog#consume} again. Each subscription
 * is a consumer of its own, with its own hand-over state, and its assignment numbers follow the earlier consumer's:
 * the failed consumer's revoke names its own assignment (so that, closing late, it cannot end its successor's hold),
 * and records it left in the pipeline never carry the successor's number. Real Kafka, one log, two subscriptions.
 */
class BroadcastLogResubscribeTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int RECORDS = 3;

    @Test
    void aSecondSubscriptionIsANewConsumerWithNewerAssignmentsAndTheFirstRevokesOnlyItsOwn() throws Exception {
        long unique = System.nanoTime();
        BroadcastProperties properties = new BroadcastProperties("ocpihub.resubscribe-" + unique, 2,
                "ocpihub-resubscribe-" + unique, new BroadcastProperties.Retry(4, Duration.ofSeconds(2),
                        Duration.ofSeconds(20)), Duration.ofSeconds(10), 1000, Duration.ofSeconds(10), 16, true,
                100_000, Duration.ofSeconds(1), 100_000, "classic", Duration.ofSeconds(1), -1, "object",
                Duration.ofSeconds(2));
        KafkaBroadcastLog log = new KafkaBroadcastLog(KafkaConnection.plaintext(
                TestInfrastructure.get().kafkaBootstrapServers()), properties, new SimpleMeterRegistry());
        try {
            for (int i = 0; i < RECORDS; i++) {
                log.append(record("LOC" + i)).block(WAIT);
            }
            Listener first = new Listener();
            List<PendingBroadcast> firstRecords = log.consume(first).take(RECORDS).collectList().block(WAIT);
            assertThat(first.revokedAll.await(WAIT.toSeconds(), TimeUnit.SECONDS))
                    .as("the first consumer, cancelled, revoked its partitions").isTrue();

            Listener second = new Listener();
            // nothing was acknowledged, so nothing committed: the same records come again, to a new consumer
            List<PendingBroadcast> again = log.consume(second).take(RECORDS).collectList().block(WAIT);

            long firstAssignment = single(first.assigned);
            long secondAssignment = single(second.assigned);
            assertThat(secondAssignment).as("numbers follow the earlier consumer's").isGreaterThan(firstAssignment);
            assertThat(firstRecords).extracting(PendingBroadcast::assignment).containsOnly(firstAssignment);
            assertThat(again).extracting(PendingBroadcast::assignment).containsOnly(secondAssignment);
            assertThat(again).extracting(p -> p.record().id())
                    .containsExactlyInAnyOrderElementsOf(firstRecords.stream().map(p -> p.record().id()).toList());
            assertThat(first.revoked).as("the first consumer revoked both partitions under its own assignment")
                    .containsExactlyInAnyOrder(Map.of(0, firstAssignment), Map.of(1, firstAssignment))
                    .doesNotContain(Map.of(0, secondAssignment), Map.of(1, secondAssignment));
        } finally {
            log.destroy();
        }
    }

    /** The assignment number of every assign callback that gave partitions, all equal (one callback for both). */
    private static long single(Queue<Long> assigned) {
        assertThat(assigned).isNotEmpty();
        assertThat(Flux.fromIterable(assigned).distinct().collectList().block()).hasSize(1);
        return assigned.peek();
    }

    private static BroadcastRecord record(String locationId) {
        PartyId owner = PartyId.of("NL", "RSB");
        return new BroadcastRecord(UUID.randomUUID().toString(), "resubscribe-" + locationId, ModuleId.LOCATIONS,
                "PUT", owner, Role.CPO, UUID.randomUUID(), "/NL/RSB/" + locationId, null,
                ("{\"id\":\"" + locationId + "\"}").getBytes(StandardCharsets.UTF_8), Instant.now());
    }

    /** Records what the log tells it; the revokes one partition at a time, to compare as single-entry maps. */
    private static final class Listener implements PartitionListener {
        final Queue<Long> assigned = new ConcurrentLinkedQueue<>();
        final Queue<Map<Integer, Long>> revoked = new ConcurrentLinkedQueue<>();
        final CountDownLatch revokedAll = new CountDownLatch(2);

        @Override
        public void assigned(Map<Integer, Long> positions, long assignment) {
            if (!positions.isEmpty()) {
                assigned.add(assignment);
            }
        }

        @Override
        public void revoked(Map<Integer, Long> partitions, boolean lost) {
            partitions.forEach((partition, assignment) -> {
                revoked.add(Map.of(partition, assignment));
                revokedAll.countDown();
            });
        }
    }
}
