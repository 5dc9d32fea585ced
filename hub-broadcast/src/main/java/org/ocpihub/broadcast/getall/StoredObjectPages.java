package org.ocpihub.broadcast.getall;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import org.ocpihub.ocpi.version.ModuleId;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;

/**
 * Pages over the hub's store ({@code broadcast_object}) for GET All: objects not deleted, of the owners the requester
 * may see, filtered on {@code last_updated} ({@code date_from} inclusive, {@code date_to} exclusive), in a stable order
 * (last_updated, then owner, then id; the paging index covers it).
 * <ul>
 *   <li>With a cursor ({@code after}, from the hub's own {@code Link}): keyset paging, the rows after the cursor's sort
 *       key, one index range scan, no count (the total travels in the cursor). Every page costs the same.</li>
 *   <li>Without one: offset paging and a count of what matches, as before; the first page of a walk is such a page
 *       (offset 0), and a client building its own {@code offset} still gets what it asks for.</li>
 * </ul>
 * Each page also says where the next one starts ({@link Page#next}).
 */
@Component
public class StoredObjectPages {

    /**
     * One page.
     *
     * @param total   what matches the filters (offset and limit aside): counted for an offset page, carried over
     *                from the walk's first page for a cursor page
     * @param objects the objects as stored (JSON text)
     * @param next    the cursor after the last object, or null when the page is empty
     * @param more    whether objects follow this page (one row beyond the limit was read to know)
     */
    public record Page(long total, List<String> objects, PageCursor next, boolean more) {
    }

    private record Row(String body, OffsetDateTime lastUpdated, String countryCode, String partyId,
                       String objectId) {
    }

    private final DatabaseClient db;

    public StoredObjectPages(DatabaseClient db) {
        this.db = db;
    }

    public Mono<Page> page(ModuleId module, GetAllVisibility.Scope scope, PageRequest request) {
        StringBuilder where = new StringBuilder("module = :module and not deleted");
        if (scope.onlyOwner() != null) {
            where.append(" and country_code = :cc and party_id = :pid");
        } else if (scope.owners() != null) {
            where.append(" and country_code || '/' || party_id = any(:owners)");
        }
        if (request.dateFrom() != null) {
            where.append(" and last_updated >= :from");
        }
        if (request.dateTo() != null) {
            where.append(" and last_updated < :to");
        }
        PageCursor after = request.after();
        Mono<Long> total = after != null ? Mono.just(after.total())
                : bind(db.sql("select count(*) as total from broadcast_object where " + where), module, scope,
                        request).map(row -> row.get("total", Long.class)).one();
        String query = "select body::text as body, last_updated, country_code, party_id, object_id from "
                + "broadcast_object where " + where
                + (after != null ? " and (last_updated, country_code, party_id, object_id) > (:a_lu, :a_cc, :a_pid, "
                        + ":a_id)" : "")
                + " order by last_updated, country_code, party_id, object_id"
                + (after != null ? " limit :limit" : " offset :offset limit :limit");
        DatabaseClient.GenericExecuteSpec spec = bind(db.sql(query), module, scope, request)
                .bind("limit", (long) request.limit() + 1); // one more: whether a next page exists
        spec = after != null
                ? spec.bind("a_lu", after.lastUpdated().atOffset(ZoneOffset.UTC)).bind("a_cc", after.countryCode())
                        .bind("a_pid", after.partyId()).bind("a_id", after.objectId())
                : spec.bind("offset", (long) request.offset());
        Mono<List<Row>> objects = spec.map(row -> new Row(row.get("body", String.class),
                        row.get("last_updated", OffsetDateTime.class), row.get("country_code", String.class),
                        row.get("party_id", String.class), row.get("object_id", String.class)))
                .all().collectList();
        return Mono.zip(total, objects, (count, rows) -> {
            boolean more = rows.size() > request.limit();
            List<Row> page = more ? rows.subList(0, request.limit()) : rows;
            Row last = page.isEmpty() ? null : page.get(page.size() - 1);
            PageCursor next = last == null ? null : new PageCursor(last.lastUpdated().toInstant(),
                    last.countryCode(), last.partyId(), last.objectId(), count);
            return new Page(count, page.stream().map(Row::body).toList(), next, more);
        });
    }

    private static DatabaseClient.GenericExecuteSpec bind(DatabaseClient.GenericExecuteSpec spec, ModuleId module,
                                                          GetAllVisibility.Scope scope, PageRequest request) {
        spec = spec.bind("module", module.id());
        if (scope.onlyOwner() != null) {
            spec = spec.bind("cc", scope.onlyOwner().countryCode()).bind("pid", scope.onlyOwner().partyId());
        } else if (scope.owners() != null) {
            spec = spec.bind("owners", scope.ownerKeys());
        }
        if (request.dateFrom() != null) {
            spec = spec.bind("from", request.dateFrom().atOffset(ZoneOffset.UTC));
        }
        if (request.dateTo() != null) {
            spec = spec.bind("to", request.dateTo().atOffset(ZoneOffset.UTC));
        }
        return spec;
    }
}
