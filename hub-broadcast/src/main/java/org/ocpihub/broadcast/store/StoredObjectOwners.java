package org.ocpihub.broadcast.store;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.ocpihub.ocpi.CiString;
import org.ocpihub.ocpi.module.OwnerKind;
import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.router.pipeline.StoredOwners;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;

/**
 * Open routing from what the hub keeps (issue 13 item 4): the owners of a Location or Token id in
 * {@code broadcast_object} (one index range scan, {@code broadcast_object_by_id}, V10). Ids are CiStrings, stored
 * upper-case. Live objects win over deleted ones: an id deleted at one CPO and live at another belongs to the other;
 * an id only deleted still has its owner, who answers for it.
 */
@Component
public class StoredObjectOwners implements StoredOwners {

    private final DatabaseClient db;

    public StoredObjectOwners(DatabaseClient db) {
        this.db = db;
    }

    private record Row(PartyId owner, boolean deleted) {
    }

    @Override
    public Mono<Set<PartyId>> owners(OwnerKind kind, String objectId) {
        if (objectId == null || objectId.isEmpty() || kind.storedAs().isEmpty()) {
            return Mono.just(Set.of());
        }
        return db.sql("select country_code, party_id, deleted from broadcast_object "
                        + "where module = :module and object_id = :id")
                .bind("module", kind.storedAs().get().id())
                .bind("id", CiString.key(objectId))
                .map(r -> new Row(PartyId.of(r.get("country_code", String.class), r.get("party_id", String.class)),
                        Boolean.TRUE.equals(r.get("deleted", Boolean.class))))
                .all()
                .collectList()
                .map(StoredObjectOwners::preferLive);
    }

    private static Set<PartyId> preferLive(List<Row> rows) {
        Set<PartyId> live = new HashSet<>();
        Set<PartyId> deleted = new HashSet<>();
        rows.forEach(row -> (row.deleted() ? deleted : live).add(row.owner()));
        return Set.copyOf(live.isEmpty() ? deleted : live);
    }
}
