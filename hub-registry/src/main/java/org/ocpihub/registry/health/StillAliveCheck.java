package org.ocpihub.registry.health;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.ocpihub.ocpi.party.ConnectionStatus;
import org.ocpihub.registry.credentials.PeerClient;
import org.ocpihub.registry.lease.Lease;
import org.ocpihub.registry.platform.LastSeenTracker;
import org.ocpihub.registry.platform.PlatformRegistry;
import org.ocpihub.registry.platform.PlatformStore;
import org.ocpihub.registry.platform.RegistrySnapshot;
import org.ocpihub.registry.task.PeriodicTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The still-alive check (HCI 15.2.3): for each registered platform the hub has not heard from for
 * {@code hub.still-alive.after} (or that failed while being routed to since it was last heard from), it GETs the
 * platform's versions endpoint. {@code hub.still-alive.failures} failures in a row make it OFFLINE; one success makes
 * an OFFLINE platform CONNECTED again. The status change is announced through Hub Client Info by the database
 * trigger. Exactly one hub instance runs the check at a time (a lease in PostgreSQL, D10).
 */
@Component
public class StillAliveCheck extends PeriodicTask {

    private static final Logger log = LoggerFactory.getLogger(StillAliveCheck.class);

    private final PlatformRegistry registry;
    private final PlatformStore store;
    private final LastSeenTracker lastSeen;
    private final UnreachableReceivers unreachable;
    private final PeerClient peers;
    private final StillAliveProperties properties;
    private final Lease lease;
    private final Map<UUID, Integer> failuresInARow = new ConcurrentHashMap<>();

    public StillAliveCheck(PlatformRegistry registry, PlatformStore store, LastSeenTracker lastSeen,
                           UnreachableReceivers unreachable, PeerClient peers, StillAliveProperties properties,
                           DatabaseClient db) {
        super(properties.checkEvery());
        this.registry = registry;
        this.store = store;
        this.lastSeen = lastSeen;
        this.unreachable = unreachable;
        this.peers = peers;
        this.properties = properties;
        this.lease = new Lease(db, "still-alive-check", properties.checkEvery().multipliedBy(3));
    }

    @Override
    protected Mono<Void> runOnce(long tick) {
        return lease.acquire().flatMap(held -> held ? checkAll() : Mono.empty());
    }

    /**
     * One round over every registered platform; public so an operator action or a test can run one now.
     * <p>
     * The round starts from a fresh registry load, not from this instance's snapshot: the snapshot follows the
     * database only through NOTIFY, so a platform registered (or a status changed) on another instance a moment ago
     * would be missing or stale here, and the round would silently skip it or decide on an old status.
     */
    public Mono<Void> checkAll() {
        return registry.refresh().then(Mono.defer(() -> {
            List<RegistrySnapshot.Entry> candidates = registry.snapshot().platforms().stream()
                    .filter(e -> e.platform().registered() && e.peerToken().isPresent()
                            && (e.platform().status() == ConnectionStatus.CONNECTED
                            || e.platform().status() == ConnectionStatus.OFFLINE))
                    .toList();
            return store.lastSeen(candidates.stream().map(e -> e.platform().id()).toList())
                    .flatMapMany(seen -> Flux.fromIterable(candidates).filter(e -> due(e, seen)))
                    .flatMap(e -> probe(e).map(Probe::changed), 8)
                    .reduce(false, (a, b) -> a || b)
                    .flatMap(changed -> changed ? registry.refresh() : Mono.empty());
        }));
    }

    private boolean due(RegistrySnapshot.Entry entry, Map<UUID, Instant> stored) {
        UUID id = entry.platform().id();
        if (entry.platform().status() == ConnectionStatus.OFFLINE) {
            return true;
        }
        Instant heard = latest(stored.get(id), lastSeen.latest(id));
        Instant failed = unreachable.lastFailure(id).orElse(null);
        if (failed != null && (heard == null || failed.isAfter(heard))) {
            return true;
        }
        return heard == null || heard.plus(properties.after()).isBefore(Instant.now());
    }

    /**
     * The result of one probe of one platform.
     *
     * @param alive          whether the platform answered the probe with an OCPI success
     * @param failuresInARow failed probes in a row on this instance after this one (0 when alive)
     * @param failuresToGoOffline {@code hub.still-alive.failures}: how many in a row make a CONNECTED platform OFFLINE
     * @param before         the status the probe started from
     * @param after          the status after the probe (changed only by this probe's transition, if any)
     * @param changed        whether this probe changed the status
     */
    public record Probe(boolean alive, int failuresInARow, int failuresToGoOffline, ConnectionStatus before,
                        ConnectionStatus after, boolean changed) {
    }

    /**
     * Probes one platform now, whether due or not, and applies the transition the periodic round would: a success
     * makes an OFFLINE platform CONNECTED, a failure counts toward the failures in a row that make a CONNECTED
     * platform OFFLINE. For an operator's "check now"; the platform must be registered (it has a token for the hub
     * to call it with) and CONNECTED or OFFLINE, else empty.
     *
     * @param platformId the platform
     * @return the probe's result; empty when the platform is unknown, unregistered, PLANNED or SUSPENDED
     */
    public Mono<Probe> checkNow(java.util.UUID platformId) {
        return registry.refresh().then(Mono.defer(() -> Mono.justOrEmpty(registry.snapshot().platform(platformId))))
                .filter(e -> e.platform().registered() && e.peerToken().isPresent()
                        && (e.platform().status() == ConnectionStatus.CONNECTED
                        || e.platform().status() == ConnectionStatus.OFFLINE))
                .flatMap(e -> probe(e).flatMap(p -> p.changed() ? registry.refresh().thenReturn(p) : Mono.just(p)));
    }

    /**
     * GETs the versions endpoint and applies the transition. The probe fails for everything
     * {@link org.ocpihub.registry.outbound.MemberFailures} counts (no connection, no answer in time, HTTP 5xx, OCPI
     * 3xxx) and for an answer the hub cannot use (not 2xx, no OCPI success envelope): {@link PeerClient#answers}.
     */
    private Mono<Probe> probe(RegistrySnapshot.Entry entry) {
        var platform = entry.platform();
        ConnectionStatus before = platform.status();
        int threshold = properties.failures();
        // every failure MemberFailures counts (the breaker's and the delivery retries' rule) fails the probe too
        return peers.answers(platform.versionsUrl(), entry.peerToken().get(), platform.tokenEncoding(),
                        "versions of " + platform.name())
                .flatMap(alive -> {
                    if (alive) {
                        failuresInARow.remove(platform.id());
                        lastSeen.seen(platform.id());
                        if (before == ConnectionStatus.OFFLINE) {
                            log.info("platform {} answers again: CONNECTED", platform.name());
                            return store.changeStatus(platform.id(), ConnectionStatus.OFFLINE,
                                            ConnectionStatus.CONNECTED)
                                    .map(changed -> new Probe(true, 0, threshold, before,
                                            changed ? ConnectionStatus.CONNECTED : before, changed));
                        }
                        return Mono.just(new Probe(true, 0, threshold, before, before, false));
                    }
                    int failures = failuresInARow.merge(platform.id(), 1, Integer::sum);
                    if (failures >= threshold && before == ConnectionStatus.CONNECTED) {
                        log.warn("platform {} did not answer {} still-alive checks: OFFLINE", platform.name(), failures);
                        return store.changeStatus(platform.id(), ConnectionStatus.CONNECTED, ConnectionStatus.OFFLINE)
                                .map(changed -> new Probe(false, failures, threshold, before,
                                        changed ? ConnectionStatus.OFFLINE : before, changed));
                    }
                    return Mono.just(new Probe(false, failures, threshold, before, before, false));
                });
    }

    private static Instant latest(Instant a, Instant b) {
        return a == null ? b : b == null ? a : (a.isAfter(b) ? a : b);
    }

    @Override
    protected void afterStop() {
        lease.release().onErrorResume(e -> Mono.empty()).block(java.time.Duration.ofSeconds(2));
    }
}
