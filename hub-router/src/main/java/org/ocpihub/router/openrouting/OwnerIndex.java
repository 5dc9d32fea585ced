package org.ocpihub.router.openrouting;

import java.time.ZoneOffset;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.ocpihub.ocpi.CiString;
import org.ocpihub.ocpi.OcpiDateTime;
import org.ocpihub.ocpi.module.OwnerKind;
import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.router.pipeline.RoutingProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import reactor.core.publisher.Mono;

/**
 * Who owns a token, location, session or reservation (D6): learned from routed traffic, kept in memory, written
 * through to PostgreSQL in the background so other instances and restarts know it too. Learning never delays a
 * request; a lookup that misses memory asks the database once and caches the answer. Object ids are CiStrings
 * (TYP 16.1): kept and looked up upper-case, so {@code tok1} and {@code TOK1} are one object.
 *
 * <p>Memory is bounded (issue 11): at most {@code hub.routing.owner-index-cache} objects (default 100 000, about
 * 300 bytes each) are kept, the least recently used leave first; PostgreSQL keeps every fact, so an evicted object
 * costs its next lookup one read.
 */
@Component
public class OwnerIndex {

    private static final Logger log = LoggerFactory.getLogger(OwnerIndex.class);

    /** The gauge of objects in memory. */
    public static final String OBJECTS_GAUGE = "ocpihub.routing.owner.index.objects";

    private record Key(OwnerKind kind, String objectId) {
    }

    private final DatabaseClient db;
    private final Cache<Key, Set<PartyId>> owners;

    /** An index with the default bound (tests). */
    public OwnerIndex(DatabaseClient db) {
        this(db, 100_000);
    }

    /**
     * With {@code hub.routing.owner-index-cache} objects in memory at most, publishing the gauge
     * {@value #OBJECTS_GAUGE}: the objects whose owners are in memory now (Caffeine's estimate, no maintenance run).
     */
    @Autowired
    public OwnerIndex(DatabaseClient db, RoutingProperties properties, MeterRegistry meters) {
        this(db, properties.ownerIndexCache());
        Gauge.builder(OBJECTS_GAUGE, owners, Cache::estimatedSize)
                .description("objects whose owners the open-routing index keeps in memory").register(meters);
    }

    /** @param maxObjects objects kept in memory at most (the rest are read from PostgreSQL when asked for) */
    public OwnerIndex(DatabaseClient db, long maxObjects) {
        this.db = db;
        // maintenance on the calling thread (it only tries its lock): nothing runs on the common pool
        this.owners = Caffeine.newBuilder().maximumSize(maxObjects).executor(Runnable::run).build();
    }

    /** Remembers an owner; the database write runs in the background. */
    public void learn(OwnerKind kind, String objectId, PartyId owner) {
        if (objectId == null || objectId.isEmpty()) {
            return;
        }
        String id = CiString.key(objectId);
        Set<PartyId> known = owners.get(new Key(kind, id), k -> ConcurrentHashMap.newKeySet());
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
        Set<PartyId> known = owners.getIfPresent(key);
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
                        owners.get(key, k -> ConcurrentHashMap.newKeySet()).addAll(found);
                    }
                });
    }

    /** Objects whose owners are kept in memory now: at most the configured bound. */
    public long inMemory() {
        owners.cleanUp();
        return owners.estimatedSize();
    }
}
