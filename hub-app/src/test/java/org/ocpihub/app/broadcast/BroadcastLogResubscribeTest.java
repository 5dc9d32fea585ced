package org.ocpihub.app.broadcast;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.ocpihub.broadcast.log.BroadcastLog.PartitionListener;
import org.ocpihub.broadcast.log.BroadcastLog.PendingBroadcast;
import org.ocpihub.broadcast.log.BroadcastRecord;
import org.ocpihub.broadcast.log.KafkaBroadcastLog;
import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.ocpi.party.Role;
import org.ocpihub.ocpi.version.ModuleId;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import reactor.core.publisher.Flux;

/**
 * The fan-out restarts a failed consumer by subscribing again to the Flux {@link KafkaBroadcastLog#consume} gave it.
 * Each subscription is a consumer of its own, with its own hand-over state, and its assignment numbers follow the
 * earlier consumer's: the failed consumer's revoke names its own assignment (so that, closing late, it cannot end its
 * successor's hold), and records it left in the pipeline never carry the successor's number. Real Kafka, one log, one
 * Flux subscribed to twice.
 */
class BroadcastLogResubscribeTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int RECORDS = 3;

    @Test
    void aSecondSubscriptionIsANewConsumerWithNewerAssignmentsAndTheFirstRevokesOnlyItsOwn() throws Exception {
        KafkaBroadcastLog log = BroadcastLogs.log("resubscribe", new SimpleMeterRegistry());
        try {
            for (int i = 0; i < RECORDS; i++) {
                log.append(record("LOC" + i)).block(WAIT);
            }
            Listener listener = new Listener();
            // one Flux, subscribed to twice: what the fan-out's restart (retryWhen) does
            Flux<PendingBroadcast> records = log.consume(listener);
            List<PendingBroadcast> firstRecords = records.take(RECORDS).collectList().block(WAIT);
            assertThat(listener.revokedBoth.await(WAIT.toSeconds(), TimeUnit.SECONDS))
                    .as("the first consumer, cancelled, revoked its partitions").isTrue();
            Map<Integer, Long> first = Map.copyOf(listener.assigned);
            Map<Integer, Long> firstRevoked = Map.copyOf(listener.revoked);

            // nothing was acknowledged, so nothing committed: the same records come again, to a new consumer
            List<PendingBroadcast> again = records.take(RECORDS).collectList().block(WAIT);
            Map<Integer, Long> second = Map.copyOf(listener.assigned);

            assertThat(first).containsOnlyKeys(0, 1);
            assertThat(firstRevoked).as("the first consumer revoked each partition under its own assignment")
                    .isEqualTo(first);
            assertThat(firstRecords).allSatisfy(r -> assertThat(r.assignment()).isEqualTo(first.get(r.partition())));
            assertThat(again).allSatisfy(r -> {
                assertThat(r.assignment()).isEqualTo(second.get(r.partition()));
                assertThat(r.assignment()).as("numbers follow the earlier consumer's")
                        .isGreaterThan(Collections.max(first.values()));
            });
            assertThat(again).extracting(p -> p.record().id())
                    .containsExactlyInAnyOrderElementsOf(firstRecords.stream().map(p -> p.record().id()).toList());
        } finally {
            log.destroy();
        }
    }

    private static BroadcastRecord record(String locationId) {
        PartyId owner = PartyId.of("NL", "RSB");
        return new BroadcastRecord(UUID.randomUUID().toString(), "resubscribe-" + locationId, ModuleId.LOCATIONS,
                "PUT", owner, Role.CPO, UUID.randomUUID(), "/NL/RSB/" + locationId, null,
                ("{\"id\":\"" + locationId + "\"}").getBytes(StandardCharsets.UTF_8), Instant.now());
    }

    /** Per partition, the assignment it was last given and the last one revoked. */
    private static final class Listener implements PartitionListener {
        final Map<Integer, Long> assigned = new ConcurrentHashMap<>();
        final Map<Integer, Long> revoked = new ConcurrentHashMap<>();
        final CountDownLatch revokedBoth = new CountDownLatch(2);

        @Override
        public void assigned(Map<Integer, Long> positions, long assignment) {
            positions.keySet().forEach(partition -> assigned.put(partition, assignment));
        }

        @Override
        public void revoked(Map<Integer, Long> partitions, boolean lost) {
            partitions.forEach((partition, assignment) -> {
                revoked.put(partition, assignment);
                revokedBoth.countDown();
            });
        }
    }
}
