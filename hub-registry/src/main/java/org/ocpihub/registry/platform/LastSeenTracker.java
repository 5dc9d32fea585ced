package org.ocpihub.registry.platform;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Remembers when each platform was last heard from (for the still-alive check, HCI 15.2.3) without touching the
 * database on the request path: requests mark it in memory, a background flush writes batches.
 */
@Component
public class LastSeenTracker implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(LastSeenTracker.class);
    private static final Duration FLUSH_EVERY = Duration.ofSeconds(5);

    private final PlatformStore store;
    private final Map<UUID, Instant> pending = new ConcurrentHashMap<>();
    private final Map<UUID, Instant> latest = new ConcurrentHashMap<>();
    private volatile Disposable flusher;

    public LastSeenTracker(PlatformStore store) {
        this.store = store;
    }

    public void seen(UUID platformId) {
        Instant now = Instant.now();
        pending.put(platformId, now);
        latest.put(platformId, now);
    }

    /** When this instance last heard from the platform, if it did. */
    public Instant latest(UUID platformId) {
        return latest.get(platformId);
    }

    /** Writes what is pending; also used at shutdown. */
    public Mono<Void> flush() {
        return Mono.defer(() -> {
            if (pending.isEmpty()) {
                return Mono.empty();
            }
            Map<UUID, Instant> batch = Map.copyOf(pending);
            batch.forEach(pending::remove);
            return store.recordLastSeen(batch);
        });
    }

    @Override
    public void start() {
        flusher = Flux.interval(FLUSH_EVERY, FLUSH_EVERY)
                .onBackpressureDrop()
                .concatMap(t -> flush().onErrorResume(e -> {
                    log.warn("could not record last-seen times: {}", e.toString());
                    return Mono.empty();
                }))
                .subscribe();
    }

    @Override
    public void stop() {
        if (flusher != null) {
            flusher.dispose();
            flusher = null;
        }
        flush().onErrorResume(e -> Mono.empty()).block(Duration.ofSeconds(5));
    }

    @Override
    public boolean isRunning() {
        return flusher != null;
    }
}
