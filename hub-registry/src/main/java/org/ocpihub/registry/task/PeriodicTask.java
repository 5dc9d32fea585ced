package org.ocpihub.registry.task;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A job the hub runs every {@code period} while it is up (flushing last-seen times, command timeouts, the client info
 * outbox, the still-alive check): one run at a time, a failed run logged and the next one tried, ticks skipped while a
 * run is still going.
 */
public abstract class PeriodicTask implements SmartLifecycle {

    private final Logger log = LoggerFactory.getLogger(getClass());
    private final Duration period;
    private volatile Disposable running;

    protected PeriodicTask(Duration period) {
        this.period = period;
    }

    /** One run; its errors are logged, never fatal. */
    protected abstract Mono<Void> runOnce(long tick);

    @Override
    public void start() {
        running = Flux.interval(period, period)
                .onBackpressureDrop()
                .concatMap(tick -> runOnce(tick).onErrorResume(e -> {
                    log.warn("{} failed: {}", getClass().getSimpleName(), e.toString());
                    return Mono.empty();
                }))
                .subscribe();
    }

    @Override
    public void stop() {
        Disposable current = running;
        running = null;
        if (current != null) {
            current.dispose();
            afterStop();
        }
    }

    /** What to do once the job stopped (e.g. a last flush); nothing by default. */
    protected void afterStop() {
    }

    @Override
    public boolean isRunning() {
        return running != null;
    }
}
