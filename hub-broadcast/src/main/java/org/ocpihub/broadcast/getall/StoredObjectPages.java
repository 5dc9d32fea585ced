package org.ocpihub.broadcast.getall;

import java.time.ZoneOffset;
import java.util.List;

import org.ocpihub.ocpi.version.ModuleId;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;

/**
 * Pages over the hub's store ({@code broadcast_object}) for GET All: objects not deleted, of the owners the requester
 * may see, filtered on {@code last_updated} ({@code date_from} inclusive, {@code date_to} exclusive), in a stable order
 * (last_updated, then owner, then id; the paging index covers it), with the total that matches the filters.
 */
@Component
public class StoredObjectPages {

    /** One page: the total matching the filters (offset and limit aside) and the objects as stored (JSON text). */
    public record Page(long total, List<String> objects) {
    }

    private final DatabaseClient db;

    public StoredObjectPages(DatabaseClient db) {
        this.db = db;
    }

    public Mono<Page> page(ModuleId module, GetAllVisibility.Scope scope, PageRequest request) {
        StringBuilder where = new StringBuilder("module = :module and not deleted");
        if (!scope.allOwners()) {
            where.append(" and country_code = :cc and party_id = :pid");
        }
        if (request.dateFrom() != null) {
            where.append(" and last_updated >= :from");
        }
        if (request.dateTo() != null) {
            where.append(" and last_updated < :to");
        }
        Mono<Long> total = bind(db.sql("select count(*) as total from broadcast_object where " + where), module,
                scope, request)
                .map(row -> row.get("total", Long.class)).one();
        Mono<List<String>> objects = bind(db.sql("select body::text as body from broadcast_object where " + where
                        + " order by last_updated, country_code, party_id, object_id offset :offset limit :limit"),
                module, scope, request)
                .bind("offset", (long) request.offset()).bind("limit", (long) request.limit())
                .map(row -> row.get("body", String.class)).all().collectList();
        return Mono.zip(total, objects, Page::new);
    }

    private static DatabaseClient.GenericExecuteSpec bind(DatabaseClient.GenericExecuteSpec spec, ModuleId module,
                                                          GetAllVisibility.Scope scope, PageRequest request) {
        spec = spec.bind("module", module.id());
        if (!scope.allOwners()) {
            spec = spec.bind("cc", scope.onlyOwner().countryCode()).bind("pid", scope.onlyOwner().partyId());
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
