package org.ocpihub.registry.platform;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import io.r2dbc.postgresql.api.PostgresqlConnection;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Wrapped;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Keeps this instance's registry snapshot in step with the database (D9): LISTENs on {@code registry_changed} over a
 * dedicated connection and reloads after every notification (bursts coalesced), plus a slow periodic reload in case a
 * notification was lost while the connection was down.
 * <p>
 * A notification waits {@link #NOTIFICATION_GRACE} and is then served by any load that started after it arrived
 * ({@link PlatformRegistry#refreshAfter}): the instance that made the change refreshes right after its own commit,
 * and when that load starts after the notification arrived (nearly always: 300 registrations cost 617 loads, 1 496
 * before) it serves the notification too, instead of one more full load of every platform. Other instances reload
 * at least that much later.
 */
@Component
public class RegistryChangeListener implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RegistryChangeListener.class);
    private static final Duration PERIODIC_RELOAD = Duration.ofSeconds(30);
    /**
     * How long a notification waits for the writer's own refresh to start before it reloads itself: the writer's
     * refresh follows its commit by one database round trip, the notification arrives at about the same time.
     */
    static final Duration NOTIFICATION_GRACE = Duration.ofMillis(100);

    private final ConnectionFactory connectionFactory;
    private final PlatformRegistry registry;
    private final Disposable.Composite running = Disposables.composite();
    private volatile boolean started;

    public RegistryChangeListener(ConnectionFactory connectionFactory, PlatformRegistry registry) {
        this.connectionFactory = connectionFactory;
        this.registry = registry;
    }

    /**
     * Before the web server's phase: the first snapshot is loaded before the port opens, so a valid token is never
     * refused just after a restart (readiness reports it too: {@code RegistryHealthIndicator}).
     */
    @Override
    public int getPhase() {
        return WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE - 1024;
    }

    @Override
    public void start() {
        // the first snapshot must be in place before the server takes requests; its hooks (a backlog of status
        // changes to relay, say) go on in the background
        running.add(registry.refresh().subscribe(null, e -> log.warn("first registry load: {}", e.toString())));
        registry.firstSnapshot().block(Duration.ofSeconds(30));
        // one at a time; a burst meanwhile costs at most two more (one held here, the latest in onBackpressureLatest),
        // each served without a load when a later one is in place
        running.add(listen().concatMap(loadsBefore -> Mono.delay(NOTIFICATION_GRACE).then(serve(loadsBefore)), 1)
                .subscribe());
        running.add(Flux.interval(PERIODIC_RELOAD, PERIODIC_RELOAD)
                .onBackpressureDrop()
                .concatMap(t -> registry.refresh().onErrorResume(e -> Mono.empty()))
                .subscribe());
        started = true;
    }

    /**
     * Brings in the change of a notification that arrived when {@code loadsBefore} loads had started: a load numbered
     * above it serves. When the load it joined fails (another caller's, say) it tries once on its own rather than
     * leave the change to the periodic reload; a second failure is logged and the periodic reload is left. Never
     * errors, so one failure does not end the listening.
     */
    Mono<Void> serve(long loadsBefore) {
        return registry.refreshAfter(loadsBefore)
                .onErrorResume(e -> registry.refreshAfter(loadsBefore))
                .onErrorResume(e -> {
                    log.warn("registry reload failed: {}", e.toString());
                    return Mono.empty();
                });
    }

    /**
     * Notifications, one signal per burst: {@link PlatformRegistry#loads()} as the (latest) notification arrived, so
     * any load numbered above it sees the change. Reconnects forever with backoff.
     */
    private Flux<Long> listen() {
        return Flux.usingWhen(
                        Mono.from(unpooled().create()),
                        connection -> {
                            PostgresqlConnection pg = (PostgresqlConnection) connection;
                            return pg.createStatement("LISTEN registry_changed").execute()
                                    .flatMap(r -> r.getRowsUpdated())
                                    .thenMany(Flux.concat(
                                            // reload once: changes while we were away
                                            Mono.fromSupplier(registry::loads),
                                            pg.getNotifications().map(n -> registry.loads())));
                        },
                        Connection::close)
                .onBackpressureLatest()
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(200)).maxBackoff(Duration.ofSeconds(5))
                        .doBeforeRetry(s -> log.warn("registry LISTEN connection lost ({}), reconnecting",
                                s.failure().toString())));
    }

    @SuppressWarnings("unchecked")
    private ConnectionFactory unpooled() {
        ConnectionFactory factory = connectionFactory;
        while (factory instanceof Wrapped<?> wrapped && wrapped.unwrap() instanceof ConnectionFactory inner) {
            factory = inner;
        }
        return factory;
    }

    @Override
    public void stop() {
        running.dispose();
        started = false;
    }

    @Override
    public boolean isRunning() {
        return started;
    }
}
