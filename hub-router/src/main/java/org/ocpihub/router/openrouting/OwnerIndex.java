package org.ocpihub.router.openrouting;

import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.ocpihub.ocpi.CiString;
import org.ocpihub.ocpi.OcpiDateTime;
import org.ocpihub.ocpi.module.OwnerKind;
import org.ocpihub.ocpi.party.PartyId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;

/**
 * Who owns a token, location, session or reservation (D6): learned from routed traffic, kept in memory, written
 * through to PostgreSQL in the background so other instances and restarts know it too. Learning never delays a
 * request; a lookup that misses memory asks the database once and caches the answer. Object ids are CiStrings
 * (TYP 16.1): kept and looked up upper-case, so {@code tok1} and {@code TOK1} are one object.
 */
@Component
public class OwnerIndex {

    private static final Logger log = LoggerFactory.getLogger(OwnerIndex.class);

    private record Key(OwnerKind kind, String objectId) {
    }

    private final DatabaseClient db;
    private final Map<Key, Set<PartyId>> owners = new ConcurrentHashMap<>();

    public OwnerIndex(DatabaseClient db) {
        this.db = db;
    }

    /** Remembers an owner; the database write runs in the background. */
    public void learn(OwnerKind kind, String objectId, PartyId owner) {
        if (objectId == null || objectId.isEmpty()) {
            return;
        }
        String id = CiString.key(objectId);
        Set<PartyId> known = owners.computeIfAbsent(new Key(kind, id), k -> ConcurrentHashMap.newKeySet());
        if (known.add(owner)) {
            db.sql("insert into owner_index (kind, object_id, country_code, party_id, updated_at) "
                            + "values (:kind, :id, :cc, :pid, :now) on conflict (kind, object_id, country_code, party_id) "
                            + "do update set updated_at = excluded.updated_at")
                    .bind("kind", kind.name()).bind("id", id).bind("cc", owner.countryCode())
                    .bind("pid", owner.partyId()).bind("now", OcpiDateTime.now().atOffset(ZoneOffset.UTC))
                    .fetch().rowsUpdated()
                    .subscribe(n -> { }, e -> log.warn("could not store owner of {} {}: {}", kind, objectId,
                            e.toString()));
        }
    }

    /** Every known owner of an object (empty when none). */
    public Mono<Set<PartyId>> owners(OwnerKind kind, String objectId) {
        Key key = new Key(kind, CiString.key(objectId));
        Set<PartyId> known = owners.get(key);
        if (known != null && !known.isEmpty()) {
            return Mono.just(Set.copyOf(known));
        }
        return db.sql("select country_code, party_id from owner_index where kind = :kind and object_id = :id")
                .bind("kind", kind.name()).bind("id", key.objectId())
                .map(r -> PartyId.of(r.get("country_code", String.class), r.get("party_id", String.class)))
                .all()
                .collect(java.util.stream.Collectors.toSet())
                .doOnNext(found -> {
                    if (!found.isEmpty()) {
                        owners.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).addAll(found);
                    }
                });
    }
}
