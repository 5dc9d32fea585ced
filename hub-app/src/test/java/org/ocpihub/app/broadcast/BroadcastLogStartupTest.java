package org.ocpihub.app.broadcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.ocpihub.broadcast.log.BroadcastRecord;
import org.ocpihub.broadcast.log.KafkaBroadcastLog;
import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.ocpi.party.Role;
import org.ocpihub.ocpi.version.ModuleId;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The broadcast log's Kafka producer is built when the log is, at start-up: reactor-kafka builds it lazily on the
 * thread of the first send, and KafkaProducer's constructor blocks (JMX registration under a lock, config files,
 * the meters' own thread). That first send was an event loop's (a registration's Hub Client Info); once, a test hub
 * hung there. An operator sees the difference too: the producer's meters ({@code kafka_producer_*}) are there from
 * start-up, not from the first push.
 */
class BroadcastLogStartupTest {

    @Test
    void theProducerExistsFromStartUpAndTheFirstAppendOnANonBlockingThreadSucceeds() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        KafkaBroadcastLog log = BroadcastLogs.log("startup", meters);
        try {
            assertThat(meters.getMeters()).as("the producer's meters, before anything was sent")
                    .anyMatch(meter -> meter.getId().getName().startsWith("kafka.producer."));

            PartyId owner = PartyId.of("NL", "STU");
            BroadcastRecord record = new BroadcastRecord(UUID.randomUUID().toString(), "startup-" + System.nanoTime(),
                    ModuleId.LOCATIONS, "PUT", owner, Role.CPO, UUID.randomUUID(), "/NL/STU/LOC1", null,
                    "{\"id\":\"LOC1\"}".getBytes(StandardCharsets.UTF_8), Instant.now());
            // Schedulers.parallel() is non-blocking: BlockHound (installed in every hub-app test) refuses a blocking
            // call there, as it does on an event loop
            assertThatCode(() -> Mono.defer(() -> log.append(record)).subscribeOn(Schedulers.parallel())
                    .block(Duration.ofSeconds(30))).doesNotThrowAnyException();
        } finally {
            log.destroy();
        }
    }
}
