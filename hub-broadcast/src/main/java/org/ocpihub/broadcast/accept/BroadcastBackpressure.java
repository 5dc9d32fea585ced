package org.ocpihub.broadcast.accept;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.ocpihub.broadcast.BroadcastProperties;
import org.ocpihub.broadcast.log.BroadcastLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Backpressure to broadcasters (issue 11 item 6): samples the fan-out's backlog ({@link BroadcastLog#backlog()}:
 * accepted pushes whose deliveries have not all ended, over every instance) every {@code hub.broadcast.backlog-check};
 * above {@code hub.broadcast.max-backlog} the hub refuses new pushes with HTTP 429 and {@code Retry-After} until the
 * backlog is under 90 % of it (the gap keeps it from flapping).
 *
 * <p>Why refuse rather than hold the 1000 back: a held answer keeps the broadcaster's connection and request open for
 * as long as the backlog lasts, its own timeout (often 10–30 s) fires, and it sends the push again while the first
 * may still be accepted, so the hub gains duplicates and open connections instead of time. A 429 with Retry-After is
 * HTTP's own "not now, try in N seconds": the broadcaster keeps the push and its order, frees its connection at once
 * and comes back when the hub says; nothing it sent is half-accepted. The hub already answers 429 + Retry-After for its
 * per-platform rate limit, so members handle one signal for both.
 *
 * <p>Retry-After is the time the backlog needs to drain to the resume mark at the rate it drained over the last
 * samples, from 1 to 60 s (30 s when it is not draining).
 */
@Component
public class BroadcastBackpressure implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(BroadcastBackpressure.class);

    private final BroadcastLog broadcastLog;
    private final long max;
    private final long resumeBelow;
    private final Duration every;
    private final AtomicLong backlog = new AtomicLong(-1);
    private volatile boolean refusing;
    /** Records drained per second between the last two samples (0 when not draining). */
    private volatile double drainPerSecond;
    private volatile long sampledAtNanos;
    private volatile Disposable sampling;
    private final Counter refusedPushes;

    public BroadcastBackpressure(BroadcastLog broadcastLog, BroadcastProperties properties, MeterRegistry meters) {
        this.broadcastLog = broadcastLog;
        this.max = properties.maxBacklog();
        this.resumeBelow = max - max / 10;
        this.every = properties.backlogCheck();
        Gauge.builder("ocpihub.broadcast.log.backlog", backlog, AtomicLong::get)
                .description("Accepted broadcasts whose deliveries have not all ended, over every instance (-1: "
                        + "not measured yet)")
                .register(meters);
        this.refusedPushes = Counter.builder("ocpihub.broadcast.refused")
                .description("Broadcast pushes refused with 429 because the fan-out backlog was over its bound")
                .register(meters);
    }

    /**
     * Whether to refuse a push now, and for how long the broadcaster should wait; a refusal is counted
     * ({@code ocpihub.broadcast.refused}).
     *
     * @return the Retry-After to send, or empty when the push may be accepted
     */
    public Optional<Duration> refusal() {
        if (!refusing) {
            return Optional.empty();
        }
        refusedPushes.increment();
        long excess = Math.max(1, backlog.get() - resumeBelow);
        double rate = drainPerSecond;
        long seconds = rate <= 0 ? 30 : (long) Math.ceil(excess / rate);
        return Optional.of(Duration.ofSeconds(Math.max(1, Math.min(60, seconds))));
    }

    /** Whether pushes are refused now (as {@link #refusal()} would say, without counting a refusal). */
    public boolean refusing() {
        return refusing;
    }

    /** The last measured backlog, or -1 before the first measurement. */
    public long backlog() {
        return backlog.get();
    }

    /** Records one measurement (also what a test drives directly). */
    void sample(long now, long nanos) {
        long before = backlog.getAndSet(now);
        long lastAt = sampledAtNanos;
        sampledAtNanos = nanos;
        if (before >= 0 && lastAt != 0 && nanos > lastAt) {
            double seconds = (nanos - lastAt) / 1e9;
            drainPerSecond = Math.max(0, (before - now) / seconds);
        }
        boolean was = refusing;
        refusing = max > 0 && (was ? now >= resumeBelow : now > max);
        if (refusing != was) {
            if (refusing) {
                log.warn("broadcast backlog {} over hub.broadcast.max-backlog {}: refusing new pushes with 429 until "
                        + "it is under {}", now, max, resumeBelow);
            } else {
                log.info("broadcast backlog {} under {}: accepting pushes again", now, resumeBelow);
            }
        }
    }

    @Override
    public void start() {
        if (max <= 0) {
            return;
        }
        sampling = Flux.interval(every)
                .onBackpressureDrop()
                .concatMap(tick -> broadcastLog.backlog()
                        .timeout(every.multipliedBy(5))
                        .doOnNext(n -> sample(n, System.nanoTime()))
                        .onErrorResume(e -> {
                            log.debug("broadcast backlog not measured: {}", e.toString());
                            return Mono.empty();
                        }), 1)
                .subscribe();
    }

    @Override
    public void stop() {
        Disposable running = sampling;
        if (running != null) {
            running.dispose();
            sampling = null;
        }
    }

    @Override
    public boolean isRunning() {
        return sampling != null;
    }
}
