package org.ocpihub.registry.platform;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.ocpihub.registry.task.PeriodicTask;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;

/**
 * Remembers when each platform was last heard from (for the still-alive check, HCI 15.2.3) without touching the
 * database on the request path: requests mark it in memory, a background flush writes batches.
 */
@Component
public class LastSeenTracker extends PeriodicTask {

    private static final Duration FLUSH_EVERY = Duration.ofSeconds(5);

    private final PlatformStore store;
    private final Map<UUID, Instant> pending = new ConcurrentHashMap<>();
    private final Map<UUID, Instant> latest = new ConcurrentHashMap<>();

    public LastSeenTracker(PlatformStore store) {
        super(FLUSH_EVERY);
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
    protected Mono<Void> runOnce(long tick) {
        return flush();
    }

    @Override
    protected void afterStop() {
        flush().onErrorResume(e -> Mono.empty()).block(Duration.ofSeconds(5));
    }
}
