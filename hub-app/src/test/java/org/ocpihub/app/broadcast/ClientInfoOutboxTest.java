package org.ocpihub.app.broadcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.ocpihub.app.support.RunningHub;
import org.ocpihub.broadcast.clientinfo.ClientInfoOutbox;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A writer that refreshes after a connection-status change answers only once the change is in the broadcast log,
 * even when another relay (this instance's background run, or another instance) holds it at that moment: the flush
 * waits for that relay, and relays the change itself if that relay gave up. Without it, a newly registered member
 * could push data that overtakes the CONNECTED announcing it (HCI 15.1.1).
 * <p>
 * "Another relay" is a test transaction that holds the change's row, as a relay does while it appends. The change is
 * one that asks for nothing to be sent, so holding it disturbs no other test.
 */
class ClientInfoOutboxTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void aFlushWaitsForAChangeAnotherRelayHoldsAndEndsOnceItIsGone() {
        RunningHub hub = RunningHub.shared();
        ConnectionFactory db = hub.context().getBean(ConnectionFactory.class);
        ClientInfoOutbox outbox = hub.context().getBean(ClientInfoOutbox.class);

        // the other relay appends it and deletes it
        Connection relay = Mono.from(db.create()).block(WAIT);
        try {
            long held = holdANewChange(db, relay);
            Mono<Void> flush = flushWaitingFor(db, outbox);
            run(relay, "delete from client_info_event where event_id = " + held);
            Mono.from(relay.commitTransaction()).block(WAIT);
            flush.block(WAIT);
            assertThat(remaining(db, held)).isZero();
        } finally {
            Mono.from(relay.close()).block(WAIT);
        }

        // the other relay gives up (its transaction rolls back): the flush relays the change itself
        relay = Mono.from(db.create()).block(WAIT);
        try {
            long held = holdANewChange(db, relay);
            Mono<Void> flush = flushWaitingFor(db, outbox);
            Mono.from(relay.rollbackTransaction()).block(WAIT);
            flush.block(WAIT);
            assertThat(remaining(db, held)).as("relayed by the flush once the other relay let go").isZero();
        } finally {
            Mono.from(relay.close()).block(WAIT);
        }
    }

    /**
     * A relay that holds a change and stalls (its instance frozen) holds back a writer's refresh for the lock timeout
     * (10 s), not for as long as it stalls: the refresh then goes on (the flush failure is logged and the change kept),
     * and once that relay lets go the background run relays the change.
     */
    @Test
    void aStalledRelayHoldsARefreshBackForTheLockTimeoutOnlyAndItsChangeIsRelayedOnceItLetsGo() {
        RunningHub hub = RunningHub.shared();
        ConnectionFactory db = hub.context().getBean(ConnectionFactory.class);
        ClientInfoOutbox outbox = hub.context().getBean(ClientInfoOutbox.class);

        Connection relay = Mono.from(db.create()).block(WAIT);
        try {
            long held = holdANewChange(db, relay);
            // the refresh hook ends while the change is still held: the lock timeout, not the stalled relay, bounds it
            outbox.afterRefresh().block(WAIT);
            assertThat(remaining(db, held)).as("still held, so not relayed yet").isEqualTo(1);

            Mono.from(relay.rollbackTransaction()).block(WAIT);
            await().atMost(WAIT).until(() -> remaining(db, held) == 0);
        } finally {
            Mono.from(relay.close()).block(WAIT);
        }
    }

    /**
     * More changes pending than a relay takes in one batch (100), and more than one batch streams before the relay
     * asks for the rest: each is relayed and deleted, and the flush ends. Found in CI: the relay deleted each change
     * while its select was still streaming on the same connection, so past about 32 rows the delete waited behind the
     * select and the select behind the delete; the transaction never ended, and every registration on every instance
     * then waited for its locks.
     */
    @Test
    void aBacklogOfChangesLargerThanABatchIsRelayedAndTheFlushEnds() {
        RunningHub hub = RunningHub.shared();
        ConnectionFactory db = hub.context().getBean(ConnectionFactory.class);
        ClientInfoOutbox outbox = hub.context().getBean(ClientInfoOutbox.class);
        UUID platform = UUID.randomUUID(); // here, not on the driver's event loop (BlockHound)
        long first = Mono.from(db.create()).flatMap(c -> Flux.from(c.createStatement(
                                "insert into client_info_event (platform_id, status, roles, status_changed, handshake, "
                                        + "changed_at) select $1, 'CONNECTED', '[]'::jsonb, false, false, now() "
                                        + "from generate_series(1, 250) returning event_id")
                        .bind(0, platform).execute())
                .flatMap(r -> r.map((row, meta) -> row.get(0, Long.class))).reduce(Long::min)
                .flatMap(v -> Mono.from(c.close()).thenReturn(v)))
                .block(WAIT);

        outbox.flush().block(WAIT);

        assertThat(first(db, Long.class, "select count(*) from client_info_event where platform_id = $1", platform))
                .as("changes from event %d on left unrelayed", first).isZero();
    }

    /**
     * The guard behind it: every session the hub opens carries {@code hub.database.*}, so that PostgreSQL itself
     * ends a transaction the hub lost track of (default a minute), and operators find the hub's sessions by name.
     * This checks the settings as the sessions carry them; ending such a session is PostgreSQL's part.
     */
    @Test
    void everyHubSessionCarriesTheIdleInTransactionTimeoutAndTheHubsName() {
        ConnectionFactory db = RunningHub.shared().context().getBean(ConnectionFactory.class);
        String settings = first(db, String.class, "select current_setting('idle_in_transaction_session_timeout') "
                + "|| ' ' || current_setting('application_name')");
        assertThat(settings).isEqualTo("1min ocpi-hub");
    }

    /**
     * Records a change that asks for nothing to be sent and locks its row in {@code relay}'s open transaction. The
     * hub's background relay may take it first (it polls every second): then another one is recorded.
     */
    private static long holdANewChange(ConnectionFactory db, Connection relay) {
        for (int attempt = 0; attempt < 100; attempt++) {
            UUID platform = UUID.randomUUID(); // here, not on the driver's event loop (BlockHound)
            long id = Mono.from(db.create()).flatMap(c -> Mono.from(c.createStatement(
                                    "insert into client_info_event (platform_id, status, roles, status_changed, "
                                            + "handshake, changed_at) values ($1, 'CONNECTED', '[]'::jsonb, false, "
                                            + "false, now()) returning event_id")
                            .bind(0, platform).execute())
                    .flatMap(r -> Mono.from(r.map((row, meta) -> row.get(0, Long.class))))
                    .flatMap(v -> Mono.from(c.close()).thenReturn(v)))
                    .block(WAIT);
            Mono.from(relay.beginTransaction()).block(WAIT);
            Long locked = Flux.from(relay.createStatement("select event_id from client_info_event where event_id = "
                            + id + " for update skip locked").execute())
                    .flatMap(r -> r.map((row, meta) -> row.get(0, Long.class))).next().block(WAIT);
            if (locked != null) {
                return id;
            }
            Mono.from(relay.rollbackTransaction()).block(WAIT); // the hub's relay got there first
        }
        throw new AssertionError("could not hold a change before the hub's relay took it, in 100 attempts");
    }

    /** Starts a flush and returns it once PostgreSQL shows it waiting for the held change, not ended. */
    private static Mono<Void> flushWaitingFor(ConnectionFactory db, ClientInfoOutbox outbox) {
        AtomicBoolean done = new AtomicBoolean();
        Mono<Void> flush = outbox.flush().doOnSuccess(v -> done.set(true)).cache();
        flush.subscribe(v -> { }, e -> { });
        awaitAFlushWaitingForARowLock(db);
        assertThat(done).as("flush ended while the change was held").isFalse();
        return flush;
    }

    /** Until PostgreSQL shows a statement on client_info_event waiting for a row lock (the flush, blocked). */
    private static void awaitAFlushWaitingForARowLock(ConnectionFactory db) {
        await().atMost(WAIT).until(() -> Mono.from(db.create()).flatMap(c -> Flux.from(c.createStatement(
                                "select count(*) from pg_stat_activity where wait_event_type = 'Lock' "
                                        + "and query like '%from client_info_event%for update'").execute())
                        .flatMap(r -> r.map((row, meta) -> row.get(0, Long.class))).next()
                        .flatMap(v -> Mono.from(c.close()).thenReturn(v)))
                .block(WAIT) > 0);
    }

    private static long remaining(ConnectionFactory db, long id) {
        return first(db, Long.class, "select count(*) from client_info_event where event_id = " + id);
    }

    /** The first column of the first row of {@code sql} on a connection of its own, {@code binds} as $1, $2, … */
    private static <T> T first(ConnectionFactory db, Class<T> type, String sql, Object... binds) {
        return Mono.from(db.create()).flatMap(c -> {
                    var statement = c.createStatement(sql);
                    for (int i = 0; i < binds.length; i++) {
                        statement.bind(i, binds[i]);
                    }
                    return Flux.from(statement.execute()).flatMap(r -> r.map((row, meta) -> row.get(0, type))).next()
                            .flatMap(v -> Mono.from(c.close()).thenReturn(v));
                })
                .block(WAIT);
    }

    private static void run(Connection connection, String sql) {
        Flux.from(connection.createStatement(sql).execute()).flatMap(r -> r.getRowsUpdated()).then().block(WAIT);
    }
}
