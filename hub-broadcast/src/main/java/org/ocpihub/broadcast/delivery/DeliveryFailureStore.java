package org.ocpihub.broadcast.delivery;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;

import org.ocpihub.ocpi.MessageIds;
import org.ocpihub.ocpi.OcpiDateTime;
import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.ocpi.version.ModuleId;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

import io.r2dbc.spi.Readable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Failed deliveries in PostgreSQL: recorded by the fan-out, listed and replayed by operators. */
@Component
public class DeliveryFailureStore {

    private final DatabaseClient db;
    private volatile Runnable onChange = () -> { };

    public DeliveryFailureStore(DatabaseClient db) {
        this.db = db;
    }

    /**
     * What to run (quickly, without blocking) after this instance recorded a failed delivery or changed one's status
     * (the failed-deliveries gauge counts again).
     */
    public void onChange(Runnable action) {
        this.onChange = action;
    }

    public Mono<UUID> record(Delivery delivery, int attempts, String lastError) {
        UUID id = UUID.fromString(MessageIds.next());
        OffsetDateTime now = OcpiDateTime.now().atOffset(ZoneOffset.UTC);
        var record = delivery.record();
        DatabaseClient.GenericExecuteSpec spec = db.sql("insert into delivery_failure (id, correlation_id, "
                        + "broadcast_id, receiver_platform_id, receiver_country_code, receiver_party_id, module, method, "
                        + "path_suffix, query, body, attempts, last_error, status, created_at, updated_at) values (:id, "
                        + ":cid, :bid, :rpid, :rcc, :rpty, :module, :method, :suffix, :query, :body, :attempts, :error, "
                        + "'FAILED', :now, :now)")
                .bind("id", id).bind("cid", record.correlationId()).bind("bid", record.id())
                .bind("rpid", delivery.receiverPlatformId()).bind("rcc", delivery.receiver().countryCode())
                .bind("rpty", delivery.receiver().partyId()).bind("module", record.module().id())
                .bind("method", record.method()).bind("suffix", record.suffix())
                .bind("body", record.body() == null ? new byte[0] : record.body())
                .bind("attempts", attempts).bind("error", truncate(lastError)).bind("now", now);
        spec = record.query() == null ? spec.bindNull("query", String.class) : spec.bind("query", record.query());
        return spec.fetch().rowsUpdated().doOnSuccess(n -> onChange.run()).thenReturn(id);
    }

    /**
     * Failed deliveries waiting for replay (status FAILED), counted per receiving platform; platforms with none are
     * left out.
     *
     * @return receiving platform id to its waiting failed deliveries
     */
    public Mono<Map<UUID, Long>> waitingByReceiver() {
        return db.sql("select receiver_platform_id, count(*) as waiting from delivery_failure where status = :status "
                        + "group by receiver_platform_id")
                .bind("status", DeliveryFilter.FAILED)
                .map(r -> Map.entry(r.get("receiver_platform_id", UUID.class), r.get("waiting", Long.class)))
                .all()
                .collectMap(Map.Entry::getKey, Map.Entry::getValue);
    }

    public Flux<DeliveryFailure> list(String status, int limit) {
        return db.sql("select * from delivery_failure where status = :status order by created_at desc limit :limit")
                .bind("status", status).bind("limit", limit)
                .map(DeliveryFailureStore::read).all();
    }

    /** One page of the deliveries the filter matches, newest first. */
    public Flux<DeliveryFailure> list(DeliveryFilter filter) {
        return bind(db.sql("select *" + where(filter) + " order by created_at desc, id offset :offset limit :limit"),
                filter).bind("offset", filter.offset()).bind("limit", filter.limit())
                .map(DeliveryFailureStore::read).all();
    }

    /** How many deliveries the filter matches (all pages). */
    public Mono<Long> count(DeliveryFilter filter) {
        return bind(db.sql("select count(*)" + where(filter)), filter).map(r -> r.get(0, Long.class)).one();
    }

    /** The oldest first, at most {@code max}, of the deliveries the filter matches (its page ignored): to replay. */
    public Flux<DeliveryFailure> oldestFirst(DeliveryFilter filter, int max) {
        return bind(db.sql("select *" + where(filter) + " order by created_at, id limit :limit"), filter)
                .bind("limit", max).map(DeliveryFailureStore::read).all();
    }

    private static String where(DeliveryFilter f) {
        return " from delivery_failure where status = :status"
                + (f.receiverPlatformId() == null ? "" : " and receiver_platform_id = :receiver")
                + (f.module() == null ? "" : " and module = :module")
                + (f.from() == null ? "" : " and created_at >= :from")
                + (f.to() == null ? "" : " and created_at < :to");
    }

    private static DatabaseClient.GenericExecuteSpec bind(DatabaseClient.GenericExecuteSpec spec, DeliveryFilter f) {
        spec = spec.bind("status", f.status());
        if (f.receiverPlatformId() != null) {
            spec = spec.bind("receiver", f.receiverPlatformId());
        }
        if (f.module() != null) {
            spec = spec.bind("module", f.module().id());
        }
        if (f.from() != null) {
            spec = spec.bind("from", f.from().atOffset(ZoneOffset.UTC));
        }
        if (f.to() != null) {
            spec = spec.bind("to", f.to().atOffset(ZoneOffset.UTC));
        }
        return spec;
    }

    public Mono<DeliveryFailure> find(UUID id) {
        return db.sql("select * from delivery_failure where id = :id").bind("id", id)
                .map(DeliveryFailureStore::read).one();
    }

    public Mono<Void> replayed(UUID id, String status, String lastError) {
        return db.sql("update delivery_failure set status = :status, attempts = attempts + 1, last_error = :error, "
                        + "updated_at = :now where id = :id")
                .bind("status", status).bind("error", truncate(lastError))
                .bind("now", OcpiDateTime.now().atOffset(ZoneOffset.UTC)).bind("id", id)
                .fetch().rowsUpdated().doOnSuccess(n -> onChange.run()).then();
    }

    private static String truncate(String error) {
        return error == null ? "" : error.length() > 1000 ? error.substring(0, 1000) : error;
    }

    private static DeliveryFailure read(Readable r) {
        return new DeliveryFailure(r.get("id", UUID.class), r.get("correlation_id", String.class),
                r.get("broadcast_id", String.class), r.get("receiver_platform_id", UUID.class),
                PartyId.of(r.get("receiver_country_code", String.class), r.get("receiver_party_id", String.class)),
                ModuleId.fromId(r.get("module", String.class)).orElseThrow(), r.get("method", String.class),
                r.get("path_suffix", String.class), r.get("query", String.class), bytes(r.get("body")),
                r.get("attempts", Integer.class), r.get("last_error", String.class), r.get("status", String.class),
                r.get("created_at", OffsetDateTime.class).toInstant(),
                r.get("updated_at", OffsetDateTime.class).toInstant());
    }

    private static byte[] bytes(Object value) {
        if (value instanceof byte[] b) {
            return b;
        }
        if (value instanceof java.nio.ByteBuffer buffer) {
            byte[] b = new byte[buffer.remaining()];
            buffer.get(b);
            return b;
        }
        return new byte[0];
    }
}
