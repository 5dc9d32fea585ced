package org.ocpihub.registry.messagelog;

import java.time.Duration;
import java.time.Instant;

import org.ocpihub.ocpi.OcpiDateTime;
import org.ocpihub.registry.lease.Lease;
import org.ocpihub.registry.task.PeriodicTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;

import reactor.core.publisher.Mono;

/**
 * Deletes message log rows older than {@code hub.message-log.retention}, every {@code purge-interval}, in chunks of
 * {@code purge-chunk} rows (short statements: no long lock, no huge transaction), until a chunk comes back short.
 * One instance at a time (a {@link Lease} in PostgreSQL, D10).
 */
public class MessageLogPurge extends PeriodicTask {

    private static final Logger log = LoggerFactory.getLogger(MessageLogPurge.class);

    private final MessageLogStore store;
    private final MessageLogProperties properties;
    private final Lease lease;

    public MessageLogPurge(MessageLogStore store, MessageLogProperties properties, DatabaseClient db) {
        super(properties.purgeInterval());
        this.store = store;
        this.properties = properties;
        this.lease = new Lease(db, "message-log-purge", properties.purgeInterval().multipliedBy(3));
    }

    @Override
    protected Mono<Void> runOnce(long tick) {
        return lease.acquire().flatMap(held -> held ? purge().then() : Mono.empty());
    }

    /**
     * Deletes every row older than the retention now, chunk by chunk; public so an operator action or a test can run
     * it at once.
     *
     * @return how many rows were deleted
     */
    public Mono<Long> purge() {
        Instant before = OcpiDateTime.now().minus(properties.retention());
        long[] total = {0};
        long[] last = {0};
        return Mono.defer(() -> store.purgeChunk(before, properties.purgeChunk()))
                .doOnNext(n -> {
                    total[0] += n;
                    last[0] = n;
                })
                .repeat(() -> last[0] >= properties.purgeChunk())
                .then(Mono.fromSupplier(() -> total[0]))
                .doOnNext(n -> {
                    if (n > 0) {
                        log.info("message log: purged {} rows older than {}", n, before);
                    }
                });
    }

    @Override
    protected void afterStop() {
        lease.release().onErrorResume(e -> Mono.empty()).block(Duration.ofSeconds(2));
    }
}
