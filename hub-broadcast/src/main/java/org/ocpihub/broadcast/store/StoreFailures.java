package org.ocpihub.broadcast.store;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import org.ocpihub.broadcast.log.BroadcastRecord;
import org.ocpihub.ocpi.MessageIds;
import org.ocpihub.ocpi.OcpiDateTime;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Broadcasts the store could not hold ({@code broadcast_store_failure}): recorded by the fan-out when a store error
 * is deterministic or outlived its retries, listed by operators at {@code GET /admin/api/store-failures}. The body is
 * not kept (it may hold personal data, and the broadcast log still has it).
 */
@Component
public class StoreFailures {

    /** One recorded failure. {@code attempts} counts store attempts (1 = never retried). */
    public record StoreFailure(UUID id, String broadcastId, String correlationId, String module, String method,
                               String owner, String path, int attempts, String sqlState, String lastError,
                               Instant createdAt) {
    }

    private final DatabaseClient db;

    public StoreFailures(DatabaseClient db) {
        this.db = db;
    }

    public Mono<Void> record(BroadcastRecord record, int attempts, Throwable error) {
        String state = StoreErrors.sqlState(error);
        String message = error.getMessage() == null ? "store failed" : error.getMessage();
        DatabaseClient.GenericExecuteSpec spec = db.sql("insert into broadcast_store_failure (id, broadcast_id, "
                        + "correlation_id, module, method, owner_country_code, owner_party_id, path_suffix, attempts, "
                        + "sql_state, last_error, created_at) values (:id, :bid, :cid, :module, :method, :cc, :pid, "
                        + ":suffix, :attempts, :state, :error, :now)")
                .bind("id", UUID.fromString(MessageIds.next())).bind("bid", record.id())
                .bind("module", record.module().id()).bind("method", String.valueOf(record.method()))
                .bind("cc", record.owner().countryCode()).bind("pid", record.owner().partyId())
                .bind("suffix", String.valueOf(record.suffix())).bind("attempts", attempts)
                .bind("error", truncate(message)).bind("now", OcpiDateTime.now().atOffset(ZoneOffset.UTC));
        spec = record.correlationId() == null ? spec.bindNull("cid", String.class)
                : spec.bind("cid", record.correlationId());
        spec = state == null ? spec.bindNull("state", String.class) : spec.bind("state", state);
        return spec.fetch().rowsUpdated().then();
    }

    public Flux<StoreFailure> list(int limit) {
        return db.sql("select * from broadcast_store_failure order by created_at desc limit :limit")
                .bind("limit", limit)
                .map(r -> new StoreFailure(r.get("id", UUID.class), r.get("broadcast_id", String.class),
                        r.get("correlation_id", String.class), r.get("module", String.class),
                        r.get("method", String.class),
                        r.get("owner_country_code", String.class) + "/" + r.get("owner_party_id", String.class),
                        r.get("path_suffix", String.class), r.get("attempts", Integer.class),
                        r.get("sql_state", String.class), r.get("last_error", String.class),
                        r.get("created_at", OffsetDateTime.class).toInstant()))
                .all();
    }

    /** Error text without control characters, at most 1000 characters. */
    private static String truncate(String error) {
        String clean = error.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > 1000 ? clean.substring(0, 1000) : clean;
    }
}
