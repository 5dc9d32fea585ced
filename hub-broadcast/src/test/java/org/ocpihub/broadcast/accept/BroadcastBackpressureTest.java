package org.ocpihub.broadcast.accept;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.ocpihub.broadcast.BroadcastProperties;
import org.ocpihub.broadcast.log.BroadcastLog;
import org.ocpihub.broadcast.log.BroadcastRecord;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** When the hub refuses pushes for its fan-out backlog, and what Retry-After it gives (samples driven directly). */
class BroadcastBackpressureTest {

    private static final long SECOND = 1_000_000_000L;

    private static BroadcastBackpressure withMax(long max) {
        BroadcastProperties properties = new Binder(new MapConfigurationPropertySource(
                java.util.Map.of("hub.broadcast.max-backlog", Long.toString(max))))
                .bindOrCreate("hub.broadcast", BroadcastProperties.class);
        BroadcastLog log = new BroadcastLog() {
            @Override
            public Mono<Void> append(BroadcastRecord record) {
                return Mono.empty();
            }

            @Override
            public Flux<PendingBroadcast> consume(PartitionListener listener) {
                return Flux.empty();
            }
        };
        return new BroadcastBackpressure(log, properties, new SimpleMeterRegistry());
    }

    @Test
    void pushesAreRefusedAboveTheBoundAndAcceptedAgainUnderNinetyPercent() {
        BroadcastBackpressure backpressure = withMax(1000);
        assertThat(backpressure.refusal()).as("not measured yet").isEmpty();

        backpressure.sample(1000, SECOND);
        assertThat(backpressure.refusal()).as("at the bound").isEmpty();
        backpressure.sample(1500, 2 * SECOND);
        assertThat(backpressure.refusal()).isPresent();
        // draining, but still over the resume mark (900): still refused, no flapping at the bound
        backpressure.sample(950, 3 * SECOND);
        assertThat(backpressure.refusal()).isPresent();
        backpressure.sample(899, 4 * SECOND);
        assertThat(backpressure.refusal()).isEmpty();
        backpressure.sample(1000, 5 * SECOND);
        assertThat(backpressure.refusal()).isEmpty();
    }

    @Test
    void retryAfterIsTheTimeToDrainToTheResumeMarkFromOneToSixtySeconds() {
        BroadcastBackpressure backpressure = withMax(1000);
        backpressure.sample(5000, SECOND);
        assertThat(backpressure.refusal()).contains(Duration.ofSeconds(30)); // no drain rate yet
        backpressure.sample(4000, 2 * SECOND); // 1000 per second; 3100 over the mark
        assertThat(backpressure.refusal()).contains(Duration.ofSeconds(4));
        backpressure.sample(3990, 3 * SECOND); // 10 per second: minutes away, capped
        assertThat(backpressure.refusal()).contains(Duration.ofSeconds(60));
        backpressure.sample(1500, 4 * SECOND);
        assertThat(backpressure.refusal()).contains(Duration.ofSeconds(1));
    }

    @Test
    void zeroTurnsItOff() {
        BroadcastBackpressure backpressure = withMax(0);
        backpressure.sample(10_000_000, SECOND);
        assertThat(backpressure.refusal()).isEmpty();
    }
}
