package org.ocpihub.broadcast.store;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Optional;
import java.util.function.UnaryOperator;

import org.ocpihub.broadcast.log.BroadcastRecord;
import org.ocpihub.ocpi.OcpiDateTime;
import org.ocpihub.ocpi.module.ModuleProfile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;

import io.r2dbc.postgresql.codec.Json;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ObjectNode;

/**
 * The hub's copy of what was broadcast, in PostgreSQL ({@code broadcast_object}, one row per module, owner and id,
 * the object as JSONB). Each push is applied as a receiver applies it ({@link ReceiverMerge}):
 * <ul>
 *   <li>PUT of a whole Location, Tariff or Token: one upsert statement (atomic on its own; revives a deleted row).</li>
 *   <li>PATCH, and PUT of an EVSE or connector: read-modify-write in one transaction, the row locked with
 *       {@code select … for update}, so that several hub instances applying pushes at once never lose one. A row
 *       that does not exist yet is inserted with {@code on conflict do nothing}; losing that race retries the whole
 *       step, which then finds and locks the row.</li>
 *   <li>DELETE of a whole object (Tariffs; honoured for any module): the row is marked deleted and no longer listed;
 *       a later PUT revives it. A deleted row counts as never seen for a later PATCH.</li>
 *   <li>POST (no receiver interface of locations, tariffs or tokens takes one) changes nothing.</li>
 * </ul>
 * Tokens are keyed by {@code uid} alone: the {@code type} query parameter (RFID when absent, TOK 12.2.2) is not part
 * of the key, so two tokens of one eMSP with the same uid and different types are one stored object. Ids are
 * CiStrings and stored upper-case.
 * <p>
 * The {@code complete} column says whether the hub stored a PUT of the whole object since it was created or deleted;
 * an object built from PATCHes or EVSE/connector PUTs alone is a part, which conflation never sends as a whole.
 * <p>
 * The {@code last_updated} column is the stored top-level object's {@code last_updated} (for GET All paging); when
 * that object has none readable (e.g. the spec's own tariff PUT example), the hub's acceptance time stands in for the
 * column only, the body is not changed.
 * <p>
 * A push that names no object or whose body is not a JSON object is skipped with a warning (the acceptor already
 * refused invalid JSON; nothing is gained by retrying it). Database errors are returned to the caller.
 */
@Component
public class PostgresBroadcastStore implements BroadcastStore {

    private static final Logger log = LoggerFactory.getLogger(PostgresBroadcastStore.class);

    private static final int INSERT_RACE_ATTEMPTS = 3;

    private static final String KEY = "module = :module and country_code = :cc and party_id = :pid "
            + "and object_id = :id";

    private final DatabaseClient db;
    private final TransactionalOperator tx;

    public PostgresBroadcastStore(DatabaseClient db, TransactionalOperator tx) {
        this.db = db;
        this.tx = tx;
    }

    @Override
    public Mono<Void> apply(BroadcastRecord record) {
        return Mono.defer(() -> {
            if (!ModuleProfile.of(record.module()).sharedWithAll()) { // only data meant for all is kept (D8)
                return Mono.empty();
            }
            String method = record.method() == null ? "" : record.method().toUpperCase(Locale.ROOT);
            PushTarget target;
            ObjectNode body;
            try {
                target = PushTarget.of(record);
                body = switch (method) {
                    case "PUT", "PATCH" -> ReceiverMerge.parseObject(record.body());
                    default -> null;
                };
            } catch (IllegalArgumentException e) {
                log.warn("broadcast {} {} {} correlation_id={} not stored: {}", record.id(), record.method(),
                        record.suffix(), record.correlationId(), e.getMessage());
                return Mono.empty();
            }
            return switch (method) {
                case "PUT" -> target.level() == PushTarget.Level.OBJECT
                        ? upsert(target, ReceiverMerge.put(null, target, body), record.acceptedAt())
                        : readModifyWrite(target, stored -> ReceiverMerge.put(stored, target, body),
                                record.acceptedAt(), 1);
                case "PATCH" -> readModifyWrite(target, stored -> ReceiverMerge.patch(stored, target, body),
                        record.acceptedAt(), 1);
                case "DELETE" -> target.level() == PushTarget.Level.OBJECT ? markDeleted(target) : skip(record,
                        "DELETE of a part of a location (EVSEs are removed with status REMOVED, LOC 8.2.2)");
                default -> skip(record, record.method() + " changes nothing a receiver stores");
            };
        });
    }

    private Mono<Void> skip(BroadcastRecord record, String why) {
        log.debug("broadcast {} {} {} not stored: {}", record.id(), record.method(), record.suffix(), why);
        return Mono.empty();
    }

    private Mono<Void> upsert(PushTarget target, ObjectNode object, Instant acceptedAt) {
        return db.sql("insert into broadcast_object (module, country_code, party_id, object_id, body, last_updated, "
                        + "deleted, stored_at, complete) "
                        + "values (:module, :cc, :pid, :id, :body, :lu, false, :now, true) "
                        + "on conflict (module, country_code, party_id, object_id) do update set body = excluded.body, "
                        + "last_updated = excluded.last_updated, deleted = false, stored_at = excluded.stored_at, "
                        + "complete = true")
                .bind("module", target.module().id()).bind("cc", target.owner().countryCode())
                .bind("pid", target.owner().partyId()).bind("id", target.key())
                .bind("body", json(object)).bind("lu", column(object, acceptedAt)).bind("now", now())
                .fetch().rowsUpdated().then();
    }

    /** One object's read-modify-write, atomic: the row is locked until the new state is written. */
    private Mono<Void> readModifyWrite(PushTarget target, UnaryOperator<ObjectNode> change, Instant acceptedAt,
                                       int attempt) {
        Mono<Boolean> step = db.sql("select body::text as body, deleted, complete from broadcast_object where "
                        + KEY + " for update")
                .bind("module", target.module().id()).bind("cc", target.owner().countryCode())
                .bind("pid", target.owner().partyId()).bind("id", target.key())
                .map(row -> new Stored(row.get("body", String.class), Boolean.TRUE.equals(row.get("deleted",
                        Boolean.class)), Boolean.TRUE.equals(row.get("complete", Boolean.class))))
                .one()
                .map(Optional::of)
                .defaultIfEmpty(Optional.empty())
                .flatMap(row -> {
                    ObjectNode current = row.filter(r -> !r.deleted())
                            .map(r -> ReceiverMerge.parseObject(r.body())).orElse(null);
                    ObjectNode next = change.apply(current);
                    // a change to a whole object keeps it whole; one to nothing (or a deleted row) is a part only
                    boolean complete = current != null && row.get().complete();
                    return row.isPresent() ? update(target, next, acceptedAt, complete).thenReturn(true)
                            : insertIfAbsent(target, next, acceptedAt);
                })
                .as(tx::transactional);
        return step.flatMap(done -> {
            if (done) {
                return Mono.empty();
            }
            if (attempt >= INSERT_RACE_ATTEMPTS) {
                return Mono.error(new IllegalStateException("could not store " + target.module().id() + " "
                        + target.owner() + "/" + target.objectId() + ": concurrent inserts kept winning"));
            }
            return readModifyWrite(target, change, acceptedAt, attempt + 1);
        });
    }

    private record Stored(String body, boolean deleted, boolean complete) {
    }

    private Mono<Void> update(PushTarget target, ObjectNode object, Instant acceptedAt, boolean complete) {
        return db.sql("update broadcast_object set body = :body, last_updated = :lu, deleted = false, "
                        + "stored_at = :now, complete = :complete where " + KEY)
                .bind("complete", complete)
                .bind("module", target.module().id()).bind("cc", target.owner().countryCode())
                .bind("pid", target.owner().partyId()).bind("id", target.key())
                .bind("body", json(object)).bind("lu", column(object, acceptedAt)).bind("now", now())
                .fetch().rowsUpdated().then();
    }

    /** True when inserted; false when another instance inserted the row first (the caller retries). */
    private Mono<Boolean> insertIfAbsent(PushTarget target, ObjectNode object, Instant acceptedAt) {
        return db.sql("insert into broadcast_object (module, country_code, party_id, object_id, body, last_updated, "
                        + "deleted, stored_at, complete) "
                        + "values (:module, :cc, :pid, :id, :body, :lu, false, :now, false) "
                        + "on conflict (module, country_code, party_id, object_id) do nothing")
                .bind("module", target.module().id()).bind("cc", target.owner().countryCode())
                .bind("pid", target.owner().partyId()).bind("id", target.key())
                .bind("body", json(object)).bind("lu", column(object, acceptedAt)).bind("now", now())
                .fetch().rowsUpdated().map(n -> n > 0);
    }

    private Mono<Void> markDeleted(PushTarget target) {
        return db.sql("update broadcast_object set deleted = true, stored_at = :now where " + KEY)
                .bind("module", target.module().id()).bind("cc", target.owner().countryCode())
                .bind("pid", target.owner().partyId()).bind("id", target.key()).bind("now", now())
                .fetch().rowsUpdated().then();
    }

    private static Json json(ObjectNode object) {
        return Json.of(ReceiverMerge.mapper().writeValueAsBytes(object));
    }

    private static OffsetDateTime column(ObjectNode object, Instant acceptedAt) {
        Instant value = ReceiverMerge.lastUpdated(object).orElse(acceptedAt != null ? acceptedAt : OcpiDateTime.now());
        return value.atOffset(ZoneOffset.UTC);
    }

    private static OffsetDateTime now() {
        return OcpiDateTime.now().atOffset(ZoneOffset.UTC);
    }
}
