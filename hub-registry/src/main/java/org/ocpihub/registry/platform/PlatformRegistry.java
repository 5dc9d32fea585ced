package org.ocpihub.registry.platform;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.ocpihub.registry.agreement.AgreementMode;
import org.ocpihub.registry.agreement.AgreementProperties;
import org.ocpihub.registry.agreement.AgreementStore;
import org.ocpihub.registry.secret.Secret;
import org.ocpihub.registry.secret.SecretBox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Holds the current {@link RegistrySnapshot}. A refresh loads everything and swaps the snapshot atomically, then runs
 * the {@link RegistryChangeHook}s.
 * <p>
 * Refreshes are single-flight: one load (with its hooks) runs at a time. A caller that arrives while one runs joins
 * the next load, which starts when the running one ends and serves every caller that arrived meanwhile. A caller so
 * waits for at most two loads, always for one that started after its call (so it sees every change committed before
 * the call), and a burst of refreshes costs two loads, not one each. Why: with 1 000 members every registration used
 * to start four full loads of its own (the admin create, the end of the handshake and the {@code registry_changed}
 * notification of each), and they ran side by side on the same cores as routing (issue 11).
 * <p>
 * A {@code registry_changed} notification needs less: any load that started after it arrived
 * ({@link #refreshAfter}), so it may join the running load, or need none, when the writer's own refresh started after
 * it.
 */
@Component
public class PlatformRegistry {

    private static final Logger log = LoggerFactory.getLogger(PlatformRegistry.class);
    /** The longest a load with its hooks may take before its callers get an error and the next load may start. */
    public static final Duration LOAD_TIMEOUT = Duration.ofSeconds(30);

    private final PlatformStore store;
    private final SecretBox secretBox;
    private final ObjectProvider<RegistryChangeHook> hooks;
    private final AtomicReference<SnapshotAt> current = new AtomicReference<>(
            new SnapshotAt(RegistrySnapshot.empty(), Instant.EPOCH));
    private final AtomicLong started = new AtomicLong();
    private final AtomicLong applied = new AtomicLong();
    /** Completed when the first snapshot is applied. */
    private final Sinks.Empty<Void> firstApplied = Sinks.empty();
    /** Guards {@link #running}, {@link #runningTicket} and {@link #queued}. */
    private final Object flight = new Object();
    /** The load in progress (null: none); its callers wait on it. */
    private Sinks.Empty<Void> running;
    /** The number of the load in progress ({@link #loads()} when it started); meaningless while none runs. */
    private long runningTicket;
    /** The load that starts when {@link #running} ends (null: none asked yet); everyone who asked meanwhile. */
    private Sinks.Empty<Void> queued;
    /** Sealed peer token → the token, as of the last load (only what that load saw, so it never grows). */
    private volatile Map<String, Secret> opened = Map.of();

    private final AgreementStore agreements;
    private final AgreementMode agreementMode;

    /**
     * @param agreements the agreements, loaded into every snapshot (null in unit tests that never refresh)
     * @param agreementProperties {@code hub.agreements.mode}; null means {@code open}
     */
    public PlatformRegistry(PlatformStore store, SecretBox secretBox, ObjectProvider<RegistryChangeHook> hooks,
                            AgreementStore agreements, AgreementProperties agreementProperties) {
        this.store = store;
        this.agreements = agreements;
        this.agreementMode = agreementProperties == null ? AgreementMode.OPEN : agreementProperties.mode();
        this.secretBox = secretBox;
        this.hooks = hooks;
    }

    /** True once a snapshot was loaded from the database (before that, every token is unknown). */
    public boolean loaded() {
        return applied.get() > 0;
    }

    /**
     * Completes once the first snapshot is in place (at once if it is), whatever its hooks still do: what start-up
     * waits for. The hooks of that first load may relay a backlog of status changes left while the hub was down,
     * which must not hold the server's start.
     */
    public Mono<Void> firstSnapshot() {
        return firstApplied.asMono();
    }

    public RegistrySnapshot snapshot() {
        return current.get().snapshot();
    }

    /**
     * Reloads from the database; completes when a snapshot at least this fresh is in place and the hooks ran after
     * it (errors: the load's or a hook's, to every caller of that load; a load that takes longer than
     * {@link #LOAD_TIMEOUT} fails, so one stuck load cannot hold every later refresh back). Cancelling the returned
     * Mono does not stop the load: other callers may wait on it. A {@link RegistryChangeHook} must not wait for a
     * refresh (it would wait for the load it runs in).
     */
    public Mono<Void> refresh() {
        return refreshAfter(Long.MAX_VALUE);
    }

    /**
     * Like {@link #refresh()}, but any load numbered above {@code ticket} serves: completes at once when such a load's
     * snapshot is in place (its hooks may still run), waits for the running load when it is such a load, and
     * otherwise refreshes. For a caller
     * that read {@link #loads()} after the change it needs was committed (a {@code registry_changed} notification
     * arrives only after its transaction committed): a load that started later sees the change, so the explicit
     * refresh an instance makes after its own write also serves the notification of that write, and it costs no
     * load of its own (issue 11: about five full loads per registration, one per transaction and one per
     * notification burst, became two). Errors as {@link #refresh()}.
     *
     * @param ticket {@link #loads()} as read after the change was committed; {@link Long#MAX_VALUE}: no load started
     *               so far serves (no load number exceeds it), which is {@link #refresh()}
     */
    public Mono<Void> refreshAfter(long ticket) {
        return Mono.defer(() -> {
            Sinks.Empty<Void> mine;
            long start = 0;
            synchronized (flight) {
                if (applied.get() > ticket) {
                    return Mono.<Void>empty();
                }
                if (running == null) {
                    running = Sinks.empty();
                    runningTicket = started.incrementAndGet();
                    start = runningTicket;
                    mine = running;
                } else if (runningTicket > ticket) {
                    mine = running;
                } else {
                    if (queued == null) {
                        queued = Sinks.empty();
                    }
                    mine = queued;
                }
            }
            if (start > 0) {
                launch(mine, start);
            }
            return mine.asMono();
        });
    }

    /**
     * The current snapshot with the moment its load started, read together (two reads could see two loads).
     *
     * @param snapshot      the snapshot
     * @param loadStartedAt when the load that produced it started (wall clock; {@link Instant#EPOCH} before the first
     *                      load): it holds every change committed before that instant
     */
    public record SnapshotAt(RegistrySnapshot snapshot, Instant loadStartedAt) {
    }

    /** The current snapshot and when its load started, as one. */
    public SnapshotAt snapshotAt() {
        return current.get();
    }

    /** Loads started since start-up (each serves every caller that joined it). */
    public long loads() {
        return started.get();
    }

    /**
     * Runs load number {@code ticket} for everyone waiting on {@code sink}, then the queued one if anybody asked
     * meanwhile. The number is taken before the load reads anything, so a load numbered above what a caller read
     * after a commit sees that commit.
     */
    private void launch(Sinks.Empty<Void> sink, long ticket) {
        load(ticket).timeout(LOAD_TIMEOUT).subscribe(null, error -> finish(sink, error), () -> finish(sink, null));
    }

    private void finish(Sinks.Empty<Void> sink, Throwable error) {
        Sinks.Empty<Void> next;
        long ticket = 0;
        synchronized (flight) {
            next = queued;
            queued = null;
            running = next;
            if (next != null) {
                runningTicket = started.incrementAndGet();
                ticket = runningTicket;
            }
        }
        // the next load starts before this one's callers go on, so none of them can slip in between
        if (next != null) {
            launch(next, ticket);
        }
        if (error == null) {
            sink.tryEmitEmpty();
        } else {
            sink.tryEmitError(error);
        }
    }

    private Mono<Void> load(long ticket) {
        return Mono.defer(() -> {
            Instant loadStartedAt = Instant.now();
            // a peer token unchanged since the last load is not decrypted again (with 1 000 members, every
            // registration reloads the registry a few times: 1 000 AES-GCM opens each)
            Map<String, Secret> known = opened;
            Map<String, Secret> now = new HashMap<>(); // filled in order, published by the volatile write
            return Mono.zip(store.loadAll()
                    .map(row -> new RegistrySnapshot.Loaded(row.platform(), row.secrets().tokenAHash(),
                            row.secrets().hubTokenHash(), open(row.secrets().sealedPeerToken(), known, now)))
                    .collectList(), agreements.book(agreementMode))
                    .doOnNext(loaded -> opened = now)
                    .map(t -> RegistrySnapshot.of(t.getT1(), t.getT2()))
                    .doOnNext(snapshot -> apply(ticket, loadStartedAt, snapshot))
                    .then(Flux.fromStream(hooks::orderedStream).concatMap(RegistryChangeHook::afterRefresh).then());
        });
    }

    private Secret open(String sealed, Map<String, Secret> known, Map<String, Secret> now) {
        if (sealed == null) {
            return null;
        }
        Secret token = known.get(sealed);
        if (token == null) {
            token = secretBox.open(sealed);
        }
        now.put(sealed, token);
        return token;
    }

    private synchronized void apply(long ticket, Instant loadStartedAt, RegistrySnapshot snapshot) {
        if (ticket > applied.get()) {
            // the snapshot first: refreshAfter's shortcut reads applied, then its caller reads the snapshot
            current.set(new SnapshotAt(snapshot, loadStartedAt));
            applied.set(ticket);
            firstApplied.tryEmitEmpty(); // (a no-op after the first)
            log.debug("registry snapshot {} applied: {} platforms", ticket, snapshot.platforms().size());
        }
    }
}
