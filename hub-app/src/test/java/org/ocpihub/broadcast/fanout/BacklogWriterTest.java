package org.ocpihub.broadcast.fanout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ocpihub.app.support.RunningHub;
import org.ocpihub.broadcast.BroadcastProperties;
import org.ocpihub.broadcast.delivery.Delivery;
import org.ocpihub.broadcast.fanout.ReceiverBacklogStore.Entry;
import org.ocpihub.broadcast.fanout.ReceiverBacklogStore.Position;
import org.ocpihub.broadcast.log.BroadcastRecord;
import org.ocpihub.embedded.InfrastructureEndpoints;
import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.ocpi.party.Role;
import org.ocpihub.ocpi.version.ModuleId;
import org.ocpihub.testkit.infra.TestInfrastructure;

import reactor.core.publisher.Mono;
import reactor.core.publisher.Signal;
import reactor.util.retry.Retry;

/**
 * {@link BacklogWriter} against the hub's real PostgreSQL: records queued behind a slow write, and the slow write
 * itself, are not kept as receiver-backlog rows once their partition was lost or its hand-over closed (the next owner
 * sends them again, so a row would be a stale duplicate, drained later after newer pushes of its object; the write
 * under way is rolled back before its commit), and none of those records is reported as kept, so none is
 * acknowledged; a held partition's records are all written, in order, also when PostgreSQL fails the write once (it
 * is retried; a lost partition's records are dropped before the retry). The slow write is real: the test holds an
 * uncommitted insert of the first record's key, so the writer's transaction waits on PostgreSQL's lock until the test
 * lets it go, or cancels the writer's statement with {@code pg_cancel_backend}.
 */
class BacklogWriterTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final PartyId RECEIVING_PARTY = PartyId.of("NL", "MSP");

    private final ReceiverBacklogStore store = RunningHub.shared().context().getBean(ReceiverBacklogStore.class);
    /** Far beyond the topic's partitions, so that the hub's own drainers never read these rows. */
    private final int partition = 1_000_000 + ThreadLocalRandom.current().nextInt(1_000_000);
    private final UUID receiver = UUID.randomUUID();
    /** Partitions the writer reported claimed by another instance while held (the fan-out then rejoins). */
    private final List<Integer> claimsLost = new CopyOnWriteArrayList<>();
    private final BacklogWriter writer = new BacklogWriter(partition, store, hold -> claimsLost.add(hold.partition()));
    private PartitionOwnership ownership;

    @BeforeEach
    void claimThePartition() {
        // as ReceiverBacklog.assigned does for a new assignment
        ownership = new PartitionOwnership(partition, 0, 1, store.claim(partition).block(WAIT));
    }

    @AfterEach
    void dropRows() {
        List<Position> rows = rows().stream().map(Entry::position).toList();
        if (!rows.isEmpty()) {
            store.release(receiver, partition, rows).block(WAIT);
        }
        execute("delete from receiver_backlog_claim where kafka_partition = " + partition);
    }

    @Test
    void aFencedInstanceKeepsNoRowOnceAnotherInstanceClaimedThePartition() {
        // another instance was given the partition; this one was fenced out of the group and does not know it yet
        assertThat(store.claim(partition).block(WAIT)).isEqualTo(ownership.epoch() + 1);
        Writes writes = new Writes();
        writes.add(write(0, record()));
        writes.add(write(1, record()));

        writes.awaitAll();
        assertThat(writes.completedInOrder()).as("none reported as kept").isEmpty();
        assertThat(List.of(writes.outcome(0), writes.outcome(1)))
                .allMatch(outcome -> ReceiverBacklog.moved(outcome.getThrowable()));
        assertThat(offsetsOfRows()).isEmpty();
        assertThat(ownership.keepsRows()).as("keeps no more rows of the partition").isFalse();
        assertThat(claimsLost).as("reported once, so that the fan-out rejoins the group").containsExactly(partition);
    }

    @Test
    void theAssignCallbackClaimsThePartitionSoTheEarlierOwnersWritesAreRefused() {
        // this test's hold is the earlier owner; the hub's live backlog is given the partition (as its Kafka assign
        // callback would be) and claims it there and then, before any record of the new assignment is fanned out
        ReceiverBacklog backlog = RunningHub.shared().context().getBean(ReceiverBacklog.class);
        backlog.assigned(Map.of(partition, 0L), 77);
        try {
            assertThat(firstLong("select epoch from receiver_backlog_claim where kafka_partition = " + partition))
                    .isEqualTo(ownership.epoch() + 1);
            Writes writes = new Writes();
            writes.add(write(0, record()));
            writes.awaitAll();
            assertThat(ReceiverBacklog.moved(writes.outcome(0).getThrowable())).as("refused: not the owner's claim")
                    .isTrue();
            assertThat(offsetsOfRows()).isEmpty();
            assertThat(claimsLost).containsExactly(partition);
        } finally {
            backlog.revoked(Map.of(partition, 77L), true);
        }
    }

    @Test
    void aWriteWhoseInstanceFrozeHoldingTheClaimIsEndedSoTheNextOwnerClaimsThePartition() throws SQLException {
        try (Connection frozen = connect()) {
            // an instance that froze (a long pause, a cut-off host) right after its write's first statement
            frozen.setAutoCommit(false);
            BroadcastProperties properties = RunningHub.shared().context().getBean(BroadcastProperties.class);
            try (PreparedStatement fence = frozen.prepareStatement(ReceiverBacklogStore.FENCE
                    .replace(":idle", "?").replace(":group", "?").replace(":topic", "?").replace(":partition", "?"))) {
                fence.setString(1, String.valueOf(ReceiverBacklogStore.HOLD_IDLE_TIMEOUT.toMillis()));
                fence.setString(2, properties.consumerGroup());
                fence.setString(3, properties.topic());
                fence.setInt(4, partition);
                try (ResultSet held = fence.executeQuery()) {
                    assertThat(held.next()).isTrue();
                    assertThat(held.getLong(2)).as("its claim").isEqualTo(ownership.epoch());
                }
            }

            // the next owner's claim waits for it only until PostgreSQL ends the frozen transaction
            Long epoch = store.claim(partition).retryWhen(Retry.max(10)).block(WAIT);
            assertThat(epoch).isEqualTo(ownership.epoch() + 1);
            assertThat(frozen.isValid(5)).as("the frozen instance's session was ended").isFalse();
        }
    }

    @Test
    void aNewOwnersClaimWaitsForAWriteUnderWayAndThenReadsItsRows() {
        BroadcastRecord first = record();
        Writes writes = new Writes();
        Mono<List<ReceiverBacklogStore.Waiting>> newOwnerReads;
        try (HeldWrite held = HeldWrite.of(first)) {
            writes.add(write(0, first));
            held.awaitTheWriteItHolds();
            // the partition moves while the write is under way, and this instance does not know it yet
            // retried as ReceiverBacklog.assigned does: a claim waits 5 s at most, this machine may be slower
            newOwnerReads = store.claim(partition).retryWhen(Retry.max(10)).thenMany(store.waitingIn(partition))
                    .collectList().cache();
            newOwnerReads.subscribe(v -> { }, e -> { });
            await().atMost(WAIT).until(() -> firstLong("select count(*) from pg_stat_activity "
                    + "where wait_event_type = 'Lock' and query like 'insert into receiver_backlog_claim%'") > 0);
        }

        writes.awaitAll();
        assertThat(writes.completedInOrder()).as("committed under its claim").containsExactly(0);
        assertThat(newOwnerReads.block(WAIT)).as("the new owner, claiming after that commit, reads its row")
                .containsExactly(new ReceiverBacklogStore.Waiting(receiver, 0));
        // a later write of the fenced instance keeps nothing
        writes.add(write(1, record()));
        writes.awaitAll();
        assertThat(ReceiverBacklog.moved(writes.outcome(1).getThrowable())).isTrue();
        assertThat(offsetsOfRows()).containsExactly(0L);
    }

    @Test
    void recordsQueuedBehindASlowWriteAreNotWrittenOnceThePartitionIsLost() {
        BroadcastRecord first = record();
        Writes writes = new Writes();
        try (HeldWrite held = HeldWrite.of(first)) {
            writes.add(write(0, first));
            writes.add(write(1, record()));
            writes.add(write(2, record()));
            ownership.revoke(); // lost: this instance was fenced out of the group, no hand-over
        }

        writes.awaitAll();
        assertThat(writes.completedInOrder()).as("none reported as kept: their records must not be acknowledged")
                .isEmpty();
        assertThat(List.of(writes.outcome(0), writes.outcome(1), writes.outcome(2)))
                .allMatch(outcome -> ReceiverBacklog.moved(outcome.getThrowable()));
        // the first was being written when the partition was lost: its transaction is rolled back before the commit
        assertThat(offsetsOfRows()).isEmpty();
    }

    @Test
    void aHeldPartitionsRecordsAreAllWrittenInOrder() {
        BroadcastRecord first = record();
        Writes writes = new Writes();
        try (HeldWrite held = HeldWrite.of(first)) {
            writes.add(write(0, first));
            for (int offset = 1; offset < 5; offset++) {
                writes.add(write(offset, record()));
            }
        }

        writes.awaitAll();
        assertThat(writes.completedInOrder()).containsExactly(0, 1, 2, 3, 4);
        assertThat(offsetsOfRows()).containsExactly(0L, 1L, 2L, 3L, 4L);
        assertThat(writer.queued()).isZero();
    }

    @Test
    void aHandOverKeepsRowsWhileItIsOpenAndNoneOnceItClosed() {
        ownership.openHandOver();
        ownership.revoke();
        BroadcastRecord first = record();
        Writes writes = new Writes();
        try (HeldWrite held = HeldWrite.of(first)) {
            writes.add(write(0, first));
            writes.add(write(1, record()));
        }
        writes.awaitAll();

        BroadcastRecord late = record();
        try (HeldWrite held = HeldWrite.of(late)) {
            writes.add(write(2, late));
            writes.add(write(3, record()));
            ownership.closeHandOver(); // the hand-over's wait gave up: what is still queued is the new owner's
        }

        writes.awaitAll();
        assertThat(writes.completedInOrder()).as("kept while the hand-over was open").containsExactly(0, 1);
        assertThat(List.of(writes.outcome(2), writes.outcome(3)))
                .allMatch(outcome -> ReceiverBacklog.moved(outcome.getThrowable()));
        // the third was being written (or queued) when the hand-over closed: rolled back before the commit either way
        assertThat(offsetsOfRows()).containsExactly(0L, 1L);
    }

    @Test
    void aWriteThatPostgreSQLFailsIsRetriedAndItsRowsCommittedOnceInOrder() {
        BroadcastRecord first = record();
        Writes writes = new Writes();
        try (HeldWrite held = HeldWrite.of(first)) {
            writes.add(write(0, first));
            writes.add(write(1, record()));
            writes.add(write(2, record()));
            held.cancelTheWriteItHolds(); // a real error of the writer's statement: the batch is retried
        }

        writes.awaitAll();
        assertThat(writes.completedInOrder()).containsExactly(0, 1, 2);
        assertThat(offsetsOfRows()).containsExactly(0L, 1L, 2L);
        assertThat(writer.queued()).isZero();
    }

    @Test
    void aWriteThatPostgreSQLFailedIsNotRetriedOnceThePartitionIsLost() {
        BroadcastRecord first = record();
        Writes writes = new Writes();
        try (HeldWrite held = HeldWrite.of(first)) {
            writes.add(write(0, first));
            writes.add(write(1, record()));
            ownership.revoke(); // lost while the write waits
            held.cancelTheWriteItHolds(); // it fails: the retry finds the partition lost and drops the records
        }

        writes.awaitAll();
        assertThat(writes.completedInOrder()).as("none reported as kept").isEmpty();
        assertThat(List.of(writes.outcome(0), writes.outcome(1)))
                .allMatch(outcome -> ReceiverBacklog.moved(outcome.getThrowable()));
        assertThat(offsetsOfRows()).isEmpty();
    }

    private Mono<Void> write(long offset, BroadcastRecord record) {
        return writer.write(ownership, offset, true, List.of(new Delivery(record, receiver, RECEIVING_PARTY)));
    }

    private List<Entry> rows() {
        return store.next(receiver, partition, Position.START, 100).block(WAIT);
    }

    private List<Long> offsetsOfRows() {
        return rows().stream().map(row -> row.position().offset()).toList();
    }

    private static BroadcastRecord record() {
        String id = UUID.randomUUID().toString();
        return new BroadcastRecord(id, "backlog-writer-" + id, ModuleId.LOCATIONS, "PUT", PartyId.of("NL", "CPO"),
                Role.CPO, UUID.randomUUID(), "/NL/CPO/LOC1", null, "{\"id\":\"LOC1\"}".getBytes(
                StandardCharsets.UTF_8), Instant.now());
    }

    /** Writes in the order they were queued, with how each ended and in which order they completed. */
    private static final class Writes {
        private final List<Mono<Signal<Void>>> outcomes = new ArrayList<>();
        private final List<Integer> completed = new CopyOnWriteArrayList<>();

        void add(Mono<Void> write) {
            int index = outcomes.size();
            outcomes.add(write.doOnSuccess(v -> completed.add(index)).materialize().cache());
            outcomes.get(index).subscribe();
        }

        void awaitAll() {
            outcomes.forEach(outcome -> outcome.block(WAIT));
        }

        Signal<Void> outcome(int index) {
            return outcomes.get(index).block(WAIT);
        }

        List<Integer> completedInOrder() {
            return List.copyOf(completed);
        }
    }

    /** A connection of the test's own to the hub's PostgreSQL. */
    private static Connection connect() throws SQLException {
        InfrastructureEndpoints infra = TestInfrastructure.get();
        return DriverManager.getConnection(infra.jdbcUrl(), infra.username(), infra.password());
    }

    /** The first column of the first row of a query, on a connection of its own. */
    private static long firstLong(String sql) {
        try (Connection connection = connect()) {
            return firstLong(connection, sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long firstLong(Connection connection, String sql) {
        try (PreparedStatement query = connection.prepareStatement(sql); ResultSet result = query.executeQuery()) {
            result.next();
            return result.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs a statement on a connection of its own. */
    private static void execute(String sql) {
        try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * An uncommitted insert of a record's key in {@code spilled_broadcast}: the writer's transaction that keeps the
     * record waits on it until it is rolled back.
     */
    private record HeldWrite(Connection connection) implements AutoCloseable {

        static HeldWrite of(BroadcastRecord record) {
            try {
                Connection connection = connect();
                connection.setAutoCommit(false);
                try (PreparedStatement insert = connection.prepareStatement(
                        "insert into spilled_broadcast (broadcast_id, record) values (?, '\\x00'::bytea)")) {
                    insert.setString(1, record.id());
                    insert.executeUpdate();
                }
                return new HeldWrite(connection);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        /**
         * Waits until PostgreSQL shows a statement waiting for this connection's lock (the writer's transaction) and
         * cancels it, as an operator's {@code pg_cancel_backend} or a statement timeout would: the writer gets a real
         * error.
         */
        void cancelTheWriteItHolds() {
            awaitTheWriteItHolds();
            // pg_cancel_backend in the select list: called only for the rows the WHERE kept, whatever the plan
            assertThat(query("select count(*) from (select pg_cancel_backend(pid) as cancelled from pg_stat_activity "
                    + "where pg_backend_pid() = any(pg_blocking_pids(pid))) as waiting where cancelled"))
                    .isEqualTo(1);
        }

        /** Until PostgreSQL shows a statement waiting for this connection's lock (the writer's transaction). */
        void awaitTheWriteItHolds() {
            await().atMost(WAIT).until(() -> query("select count(*) from pg_stat_activity "
                    + "where pg_backend_pid() = any(pg_blocking_pids(pid))") > 0);
        }

        private long query(String sql) {
            return firstLong(connection, sql);
        }

        @Override
        public void close() {
            try (connection) {
                connection.rollback();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
