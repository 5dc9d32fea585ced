package org.ocpihub.registry.messagelog;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import reactor.core.publisher.Mono;

/** The message log's queue: bounded, lock-free, dropping and counting what does not fit; batches of batch-size. */
class MessageLogQueueTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private static MessageLogProperties properties(boolean enabled, int batchSize, int capacity) {
        return new MessageLogProperties(enabled, Duration.ofDays(7), batchSize, Duration.ofHours(1), capacity,
                Duration.ofMinutes(10), 10_000);
    }

    static MessageLogEntry entry(String requestId) {
        return new MessageLogEntry(null, Instant.now(), null, MessageLogEntry.Kind.ROUTED, requestId, null, "c",
                "locations", "SENDER", "GET", "DIRECT", "NL", "ABC", "DE", "XYZ", null, null, null, null, null, null,
                null, null, 200, 1000, 3, null, null);
    }

    private double dropped(String reason) {
        return meters.get("ocpihub.messagelog.dropped").tag("reason", reason).counter().count();
    }

    @Test
    void aFullQueueDropsAndCountsWithoutBlockingOrThrowing() {
        List<List<MessageLogEntry>> written = new CopyOnWriteArrayList<>();
        MessageLog log = new MessageLog(properties(true, 10, 3), (instance, batch) -> {
            written.add(batch);
            return Mono.empty();
        }, meters);

        for (int i = 0; i < 5; i++) {
            log.append(entry("r" + i));
        }

        assertThat(log.queued()).isEqualTo(3);
        assertThat(log.dropped()).isEqualTo(2);
        assertThat(dropped("queue-full")).isEqualTo(2.0);
        log.flush().block(Duration.ofSeconds(5));
        assertThat(written).hasSize(1);
        assertThat(written.get(0)).extracting(MessageLogEntry::requestId).containsExactly("r0", "r1", "r2");
        // room again once written
        log.append(entry("r5"));
        assertThat(log.queued()).isEqualTo(1);
    }

    @Test
    void manyThreadsAppendingAtOnceNeverExceedTheCapacityAndLoseNothingUncounted() throws Exception {
        MessageLog log = new MessageLog(properties(true, 100, 1000), (instance, batch) -> Mono.empty(), meters);
        int threads = 8;
        int each = 500;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        for (int t = 0; t < threads; t++) {
            pool.submit(() -> {
                start.await();
                for (int i = 0; i < each; i++) {
                    log.append(entry("x"));
                }
                return null;
            });
        }
        start.countDown();
        pool.shutdown();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

        assertThat(log.queued()).isEqualTo(1000);
        assertThat(log.dropped()).isEqualTo(threads * each - 1000L);
        assertThat(dropped("queue-full")).isEqualTo(threads * each - 1000.0);
    }

    @Test
    void aFlushWritesBatchesOfTheConfiguredSize() {
        List<Integer> sizes = new ArrayList<>();
        MessageLog log = new MessageLog(properties(true, 4, 100), (instance, batch) -> {
            sizes.add(batch.size());
            return Mono.empty();
        }, meters);
        for (int i = 0; i < 10; i++) {
            log.append(entry("r" + i));
        }

        log.flush().block(Duration.ofSeconds(5));

        assertThat(sizes).containsExactly(4, 4, 2);
        assertThat(log.queued()).isZero();
        assertThat(meters.get("ocpihub.messagelog.written").counter().count()).isEqualTo(10.0);
    }

    @Test
    void aBatchTheDatabaseRefusesIsRetriedThenDroppedAndCounted() {
        int[] calls = {0};
        MessageLog log = new MessageLog(properties(true, 10, 100), (instance, batch) -> {
            calls[0]++;
            return Mono.error(new IllegalStateException("database down"));
        }, meters);
        log.append(entry("a"));
        log.append(entry("b"));

        log.flush().block(Duration.ofSeconds(30));

        assertThat(calls[0]).isEqualTo(4); // the first try and 3 retries
        assertThat(log.dropped()).isEqualTo(2);
        assertThat(dropped("database")).isEqualTo(2.0);
        assertThat(log.queued()).isZero();
    }

    @Test
    void offNothingIsQueued() {
        MessageLog log = new MessageLog(properties(false, 10, 100), (instance, batch) -> {
            throw new AssertionError("nothing is written when the log is off");
        }, meters);

        log.append(entry("a"));

        assertThat(log.enabled()).isFalse();
        assertThat(log.queued()).isZero();
        assertThat(log.dropped()).isZero();
        assertThat(MessageLog.disabled().enabled()).isFalse();
    }

    @Test
    void errorsAreShortAndFreeOfControlCharacters() {
        assertThat(MessageLogEntry.shortError("a\nb\tc")).isEqualTo("a b c");
        assertThat(MessageLogEntry.shortError("x".repeat(1000))).hasSize(MessageLogEntry.MAX_ERROR_LENGTH);
        assertThat(MessageLogEntry.shortError("  ")).isNull();
    }
}
