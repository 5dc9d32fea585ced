package org.ocpihub.registry.lease;

import java.time.Duration;
import java.time.ZoneOffset;

import org.ocpihub.ocpi.MessageIds;
import org.ocpihub.ocpi.OcpiDateTime;
import org.springframework.r2dbc.core.DatabaseClient;

import reactor.core.publisher.Mono;

/**
 * A named lease in PostgreSQL (D10): one instance holds it until it expires; the holder renews it, any instance
 * takes it over once expired. One statement decides, so two instances never both hold it.
 */
public final class Lease {

    private final DatabaseClient db;
    private final String name;
    private final String holder = MessageIds.next();
    private final Duration ttl;

    public Lease(DatabaseClient db, String name, Duration ttl) {
        this.db = db;
        this.name = name;
        this.ttl = ttl;
    }

    /** True when this instance holds the lease (taken or renewed now) for the next {@code ttl}. */
    public Mono<Boolean> acquire() {
        var now = OcpiDateTime.now().atOffset(ZoneOffset.UTC);
        return db.sql("insert into lease (name, holder, expires_at) values (:name, :holder, :expires) "
                        + "on conflict (name) do update set holder = excluded.holder, expires_at = excluded.expires_at "
                        + "where lease.holder = excluded.holder or lease.expires_at < :now")
                .bind("name", name).bind("holder", holder).bind("expires", now.plus(ttl)).bind("now", now)
                .fetch().rowsUpdated()
                .map(n -> n > 0);
    }

    /** Lets another instance take over at once (at shutdown). */
    public Mono<Void> release() {
        return db.sql("delete from lease where name = :name and holder = :holder")
                .bind("name", name).bind("holder", holder).fetch().rowsUpdated().then();
    }
}
