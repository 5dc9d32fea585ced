package org.ocpihub.broadcast.fanout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import org.ocpihub.broadcast.BroadcastProperties;
import org.ocpihub.broadcast.delivery.Delivery;
import org.ocpihub.broadcast.log.BroadcastRecord;
import org.ocpihub.broadcast.log.BroadcastRecordCodec;
import org.ocpihub.ocpi.party.PartyId;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The durable per-receiver backlog in PostgreSQL ({@code receiver_backlog} and {@code spilled_broadcast},
 * {@code V9__receiver_backlog.sql}): deliveries owed to receiving platforms that are behind, one row per delivery,
 * keyed by receiving platform, Kafka partition and offset of the pushed record, receiving party and broadcast id
 * (one Kafka record may hold several pushed records: a new member's Hub Client Info list, {@code V13}). The record is
 * kept once however many receivers wait for it. Rows are read back in {@link Position} order per receiver and
 * partition, which is the order the hub accepted the pushes of that partition (the entries of one Hub Client Info list,
 * which share an offset and a receiving party, by broadcast id: each is about another party).
 */
@Component
public class ReceiverBacklogStore {

    /**
     * Where a receiver's rows of one partition are read up to: (Kafka offset, party, broadcast id), compared in that
     * order (the broadcast id tells apart the entries of a Hub Client Info list, which share an offset and party).
     */
    public record Position(long offset, String countryCode, String partyId, String broadcastId) {

        /** Before every row. */
        public static final Position START = new Position(-1, "", "", "");
    }

    /**
     * One delivery waiting in PostgreSQL.
     *
     * @param partition the Kafka partition of the pushed record
     * @param position  its offset there, the receiving party and the broadcast id
     * @param stored    whether the hub's store holds the push (so conflation may send the stored object instead)
     * @param delivery  what to send
     */
    public record Entry(int partition, Position position, boolean stored, Delivery delivery) {
    }

    private final DatabaseClient db;
    private final TransactionalOperator tx;
    /** Whose claims these are: the fan-out's consumer group and topic ({@code receiver_backlog_claim}'s key). */
    private final String consumerGroup;
    private final String topic;

    public ReceiverBacklogStore(DatabaseClient db, TransactionalOperator tx, BroadcastProperties properties) {
        this.db = db;
        this.tx = tx;
        this.consumerGroup = properties.consumerGroup();
        this.topic = properties.topic();
    }

    /**
     * Deliveries of one Kafka record to keep.
     *
     * @param offset     the record's offset in its Kafka partition
     * @param stored     whether the hub's store holds the push
     * @param deliveries its deliveries to keep, not empty: all of the same record, or, for a new member's Hub Client
     *                   Info list, each of the entry it carries ({@code ClientInfoList})
     */
    public record Kept(long offset, boolean stored, List<Delivery> deliveries) {

        /**
         * The records these rows store, each once: one for a data push, one per entry of a Hub Client Info list (its
         * deliveries each carry an entry; those of one entry are adjacent).
         */
        List<BroadcastRecord> records() {
            List<BroadcastRecord> records = new ArrayList<>(1);
            for (Delivery delivery : deliveries) {
                if (records.isEmpty() || records.get(records.size() - 1) != delivery.record()) {
                    records.add(delivery.record());
                }
            }
            return records;
        }
    }

    /**
     * Keeps deliveries of several pushed records of one partition in one transaction: each record once, then every
     * row in one statement. Keeping what is already kept changes nothing.
     *
     * @param epoch     the claim the rows are kept under ({@link #claim}): another claim of the partition since
     *                  then fails the write with {@link ClaimLost}, nothing written
     * @param stillKept asked after the rows are inserted, just before the commit: false rolls the transaction back and
     *                  fails with {@link ReceiverBacklog.PartitionMoved} (the partition moved while the rows were
     *                  written: the next owner sends those records again, so rows committed now would be stale
     *                  duplicates, drained after newer pushes of their objects)
     */
    public Mono<Void> spill(int partition, long epoch, List<Kept> kept, BooleanSupplier stillKept) {
        int rows = kept.stream().mapToInt(k -> k.deliveries().size()).sum();
        String[] receivers = new String[rows];
        String[] countries = new String[rows];
        String[] parties = new String[rows];
        Long[] offsets = new Long[rows];
        String[] ids = new String[rows];
        Boolean[] stored = new Boolean[rows];
        int i = 0;
        for (Kept k : kept) {
            for (Delivery delivery : k.deliveries()) {
                receivers[i] = delivery.receiverPlatformId().toString();
                countries[i] = delivery.receiver().countryCode();
                parties[i] = delivery.receiver().partyId();
                offsets[i] = k.offset();
                ids[i] = delivery.record().id();
                stored[i] = k.stored();
                i++;
            }
        }
        // each record once (a statement may not update one row twice), all in one statement: a hand-over keeps
        // hundreds of records at once, and one round trip each held the whole fan-out (docs/benchmarks.md)
        // sorted: two partitions' writers may keep the same Hub Client Info record at once, and rows locked in
        // different orders deadlock (PostgreSQL then aborts one, which is retried). Every delivery's own record: a
        // new member's Hub Client Info list is one log record whose deliveries each carry an entry of their own
        Map<String, BroadcastRecord> records = new TreeMap<>();
        kept.forEach(k -> k.records().forEach(r -> records.putIfAbsent(r.id(), r)));
        String[] recordIds = records.keySet().toArray(String[]::new);
        String[] encoded = records.values().stream()
                .map(r -> Base64.getEncoder().encodeToString(BroadcastRecordCodec.encode(r))).toArray(String[]::new);
        // a record kept again (fanned out again after a crash) is touched, so the sweep leaves it alone
        Mono<Void> recordRows = db.sql("insert into spilled_broadcast (broadcast_id, record) "
                        + "select i, decode(r, 'base64') from unnest(cast(:ids as text[]), cast(:records as text[])) "
                        + "as t(i, r) on conflict (broadcast_id) do update set spilled_at = now()")
                .bind("ids", recordIds).bind("records", encoded)
                .then();
        Mono<Void> backlog = db.sql("insert into receiver_backlog (receiver_platform_id, kafka_partition, kafka_offset, "
                        + "party_country, party_id, broadcast_id, stored) "
                        + "select cast(r as uuid), :partition, o, c, p, b, s "
                        + "from unnest(cast(:receivers as text[]), cast(:offsets as bigint[]), cast(:countries as text[]), "
                        + "cast(:parties as text[]), cast(:ids as text[]), cast(:stored as boolean[])) as t(r, o, c, p, b, s) "
                        + "on conflict do nothing")
                .bind("partition", partition).bind("receivers", receivers).bind("offsets", offsets)
                .bind("countries", countries).bind("parties", parties).bind("ids", ids).bind("stored", stored)
                .then();
        Mono<Void> beforeCommit = Mono.defer(() -> stillKept.getAsBoolean() ? Mono.<Void>empty()
                : Mono.error(ReceiverBacklog.PartitionMoved.INSTANCE));
        if (epoch <= 0) {
            return Mono.error(ClaimLost.INSTANCE); // an unclaimed hold keeps no row: nothing would fence it
        }
        return tx.transactional(fence(partition, epoch).then(recordRows).then(backlog).then(beforeCommit));
    }

    /**
     * The first statement of a transaction that keeps rows: the partition's claim, held FOR SHARE until the commit, so
     * a new owner's {@link #claim} waits for the transaction. Fails with {@link ClaimLost} when another claim came
     * since {@code epoch} (this instance was fenced out, the new owner has read the rows already).
     */
    private Mono<Void> fence(int partition, long epoch) {
        // the transaction also gets a short idle timeout: one whose instance froze (a long pause, a cut-off host)
        // holding the claim would make the partition's next owner wait for the hub-wide timeout (a minute), its
        // whole fan-out stalled; PostgreSQL ends it after this instead, and a live writer merely tries again
        return db.sql(FENCE)
                .bind("idle", String.valueOf(HOLD_IDLE_TIMEOUT.toMillis()))
                .bind("group", consumerGroup)
                .bind("topic", topic)
                .bind("partition", partition)
                .map(row -> row.get(1, Long.class))
                .one()
                .defaultIfEmpty(0L)
                .flatMap(current -> current == epoch ? Mono.<Void>empty() : Mono.error(ClaimLost.INSTANCE));
    }

    /**
     * The fence's statement ({@link #fence}): binds {@code :idle} (ms, text), {@code :group}, {@code :topic} and
     * {@code :partition}.
     */
    static final String FENCE = "select set_config('idle_in_transaction_session_timeout', :idle, true), epoch "
            + "from receiver_backlog_claim where consumer_group = :group and topic = :topic "
            + "and kafka_partition = :partition for share";

    /** Another instance claimed the partition since the claim a write was made under: nothing was written. */
    static final class ClaimLost extends RuntimeException {
        static final ClaimLost INSTANCE = new ClaimLost();

        private ClaimLost() {
            super("another hub instance claimed the partition", null, false, false);
        }
    }

    /**
     * Claims a partition this instance was just given, before it reads the partition's rows ({@link #waitingIn}):
     * raises the partition's epoch, waiting for every transaction that keeps rows under the previous claim to end.
     * Rows such a transaction committed are then visible to the read; any later one, under an old claim, rolls back
     * ({@link #spill}). Such a transaction lasts milliseconds; one whose instance froze is ended by PostgreSQL after
     * {@link #HOLD_IDLE_TIMEOUT} idle, and the claim fails after {@link #CLAIM_LOCK_TIMEOUT} (PostgreSQL's
     * {@code lock_timeout}), to be tried again. V12__receiver_backlog_claims.sql.
     *
     * @return the new claim's epoch (1 for a partition never claimed), to pass to {@link #spill}
     */
    public Mono<Long> claim(int partition) {
        return tx.transactional(db.sql("select set_config('lock_timeout', :lock, true), "
                        + "set_config('idle_in_transaction_session_timeout', :idle, true)")
                .bind("lock", String.valueOf(CLAIM_LOCK_TIMEOUT.toMillis()))
                .bind("idle", String.valueOf(HOLD_IDLE_TIMEOUT.toMillis()))
                .fetch().all()
                .then(db.sql("insert into receiver_backlog_claim (consumer_group, topic, kafka_partition, epoch) "
                                + "values (:group, :topic, :partition, 1) on conflict (consumer_group, topic, "
                                + "kafka_partition) do update set epoch = receiver_backlog_claim.epoch + 1 "
                                + "returning epoch")
                        .bind("group", consumerGroup)
                        .bind("topic", topic)
                        .bind("partition", partition)
                        .map(row -> row.get(0, Long.class))
                        .one()));
    }

    /** How long a claim waits for a previous owner's write under way before it fails (and is tried again). */
    static final Duration CLAIM_LOCK_TIMEOUT = Duration.ofSeconds(5);
    /**
     * How long a transaction holding a partition's claim (a write of rows, a claim) may sit idle between its
     * statements before PostgreSQL ends it, so that a frozen instance's holds up the next owner's claim this long at
     * most rather than the hub-wide {@code hub.database.idle-in-transaction-timeout}. A live writer is idle between
     * statements while it encodes the next one (a batch of up to {@code BacklogWriter.MAX_BATCH_BYTES}: well under a
     * second even on a busy machine); 2 s ended such writers in review's reckoning, so it is 10 s.
     */
    static final Duration HOLD_IDLE_TIMEOUT = Duration.ofSeconds(10);

    /**
     * The next rows of one receiver and partition after {@code after}, oldest first.
     *
     * @param limit at most this many
     */
    public Mono<List<Entry>> next(UUID receiver, int partition, Position after, int limit) {
        return db.sql("select b.kafka_offset, b.party_country, b.party_id, b.broadcast_id, b.stored, s.record "
                        + "from receiver_backlog b join spilled_broadcast s on s.broadcast_id = b.broadcast_id "
                        + "where b.receiver_platform_id = :receiver and b.kafka_partition = :partition "
                        + "and (b.kafka_offset, b.party_country, b.party_id, b.broadcast_id) "
                        + "> (:offset, :cc, :pid, :bid) "
                        + "order by b.kafka_offset, b.party_country, b.party_id, b.broadcast_id limit :limit")
                .bind("receiver", receiver).bind("partition", partition).bind("offset", after.offset())
                .bind("cc", after.countryCode()).bind("pid", after.partyId()).bind("bid", after.broadcastId())
                .bind("limit", limit)
                .map(row -> {
                    Position position = new Position(row.get("kafka_offset", Long.class),
                            row.get("party_country", String.class), row.get("party_id", String.class),
                            row.get("broadcast_id", String.class));
                    BroadcastRecord record = BroadcastRecordCodec.decode(row.get("record", byte[].class));
                    return new Entry(partition, position, Boolean.TRUE.equals(row.get("stored", Boolean.class)),
                            new Delivery(record, receiver, PartyId.of(position.countryCode(), position.partyId())));
                })
                .all()
                .collectList();
    }

    /**
     * Drops these rows of a receiver and partition: their deliveries ended. Exactly these: a row kept meanwhile at
     * an earlier position (a delivery parked while these drained) stays.
     */
    public Mono<Void> release(UUID receiver, int partition, List<Position> rows) {
        Long[] offsets = new Long[rows.size()];
        String[] countries = new String[rows.size()];
        String[] parties = new String[rows.size()];
        String[] ids = new String[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            offsets[i] = rows.get(i).offset();
            countries[i] = rows.get(i).countryCode();
            parties[i] = rows.get(i).partyId();
            ids[i] = rows.get(i).broadcastId();
        }
        return db.sql("delete from receiver_backlog b using unnest(cast(:offsets as bigint[]), "
                        + "cast(:countries as text[]), cast(:parties as text[]), cast(:ids as text[])) "
                        + "as t(o, c, p, i) "
                        + "where b.receiver_platform_id = :receiver and b.kafka_partition = :partition "
                        + "and b.kafka_offset = t.o and b.party_country = t.c and b.party_id = t.p "
                        + "and b.broadcast_id = t.i")
                .bind("receiver", receiver).bind("partition", partition).bind("offsets", offsets)
                .bind("countries", countries).bind("parties", parties).bind("ids", ids)
                .then();
    }

    /**
     * Who waits in one partition.
     *
     * @param receiver   a receiving platform with rows there
     * @param lastOffset the highest Kafka offset among its rows
     */
    public record Waiting(UUID receiver, long lastOffset) {
    }

    /** The receiving platforms with rows in one partition, and how far their rows reach. */
    public Flux<Waiting> waitingIn(int partition) {
        return db.sql("select receiver_platform_id, max(kafka_offset) from receiver_backlog "
                        + "where kafka_partition = :partition group by receiver_platform_id")
                .bind("partition", partition)
                .map(row -> new Waiting(row.get(0, UUID.class), row.get(1, Long.class)))
                .all();
    }

    /**
     * Drops kept records that no row refers to any more, spilled at least a minute ago (younger ones may belong to a
     * transaction whose rows are not visible yet only in theory: both are written in one; the margin costs nothing).
     *
     * @return how many were dropped
     */
    public Mono<Long> sweep() {
        return db.sql("delete from spilled_broadcast s where s.spilled_at < now() - interval '1 minute' "
                        + "and not exists (select 1 from receiver_backlog b where b.broadcast_id = s.broadcast_id)")
                .fetch().rowsUpdated();
    }

    /** Rows waiting per receiving platform (platforms with none are left out). */
    public Mono<Map<UUID, Long>> waiting() {
        return db.sql("select receiver_platform_id, count(*) from receiver_backlog group by receiver_platform_id")
                .map(row -> Map.entry(row.get(0, UUID.class), row.get(1, Long.class)))
                .all()
                .collect(HashMap::new, (map, e) -> map.put(e.getKey(), e.getValue()));
    }
}
