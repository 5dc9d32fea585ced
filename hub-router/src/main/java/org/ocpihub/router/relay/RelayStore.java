package org.ocpihub.router.relay;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.ocpihub.ocpi.OcpiDateTime;
import org.ocpihub.ocpi.module.RelayKind;
import org.ocpihub.ocpi.party.PartyId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

import io.r2dbc.spi.Readable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Relays (D5) in PostgreSQL, with the ones this instance created cached in memory so that a callback arriving right
 * after its command never waits on a write. Pending command timeouts are claimed with one UPDATE … RETURNING, so that
 * with several instances exactly one answers each TIMEOUT.
 */
@Component
public class RelayStore {

    private static final Logger log = LoggerFactory.getLogger(RelayStore.class);

    private final DatabaseClient db;
    private final Map<String, Relay> recent = new ConcurrentHashMap<>();

    public RelayStore(DatabaseClient db) {
        this.db = db;
    }

    /** Saves in the background; the relay is usable on this instance at once. */
    public void saveInBackground(Relay relay) {
        insert(relay).subscribe(n -> { }, e -> log.warn("could not store relay {}: {}", relay.id(), e.toString()));
    }

    /** Saves; completes once it is in the database (for callbacks whose timeout the hub must answer). */
    public Mono<Void> insert(Relay relay) {
        recent.put(relay.id(), relay);
        return db.sql("insert into relay (id, kind, target_url, owner_platform_id, owner_country_code, owner_party_id, "
                        + "caller_country_code, caller_party_id, command, state, created_at, expires_at) values (:id, "
                        + ":kind, :url, :owner, :occ, :opid, :ccc, :cpid, :command, 'PENDING', :now, :expires)")
                .bind("id", relay.id()).bind("kind", relay.kind().name()).bind("url", relay.targetUrl())
                .bind("owner", relay.ownerPlatformId()).bind("occ", relay.owner().countryCode())
                .bind("opid", relay.owner().partyId()).bind("ccc", relay.caller().countryCode())
                .bind("cpid", relay.caller().partyId())
                .bind("command", relay.command() == null ? "" : relay.command())
                .bind("now", now()).bind("expires", relay.expiresAt().atOffset(ZoneOffset.UTC))
                .fetch().rowsUpdated().then();
    }

    public Mono<Relay> find(String id) {
        Relay cached = recent.get(id);
        if (cached != null) {
            return cached.expiresAt().isAfter(Instant.now()) ? Mono.just(cached) : Mono.empty();
        }
        return db.sql("select * from relay where id = :id and expires_at > :now").bind("id", id).bind("now", now())
                .map(RelayStore::read).one();
    }

    /** The CPO's synchronous answer came: when to give up waiting for the result. */
    public Mono<Void> awaitResultUntil(String id, Instant timeoutAt) {
        return db.sql("update relay set timeout_at = :at where id = :id and state = 'PENDING'")
                .bind("at", timeoutAt.atOffset(ZoneOffset.UTC)).bind("id", id)
                .fetch().rowsUpdated().then();
    }

    /** No result is expected any more (it came, or the command was not accepted). */
    public Mono<Void> done(String id) {
        return db.sql("update relay set state = 'DONE' where id = :id").bind("id", id).fetch().rowsUpdated().then();
    }

    /** Claims every command whose result is overdue; each is returned to exactly one caller. */
    public Flux<Relay> claimOverdue() {
        return db.sql("update relay set state = 'TIMED_OUT' where state = 'PENDING' and timeout_at is not null "
                        + "and timeout_at < :now returning *")
                .bind("now", now())
                .map(RelayStore::read).all();
    }

    public Mono<Void> purgeExpired() {
        recent.values().removeIf(r -> r.expiresAt().isBefore(Instant.now()));
        return db.sql("delete from relay where expires_at < :now").bind("now", now()).fetch().rowsUpdated().then();
    }

    private static Relay read(Readable r) {
        String command = r.get("command", String.class);
        return new Relay(r.get("id", String.class), RelayKind.valueOf(r.get("kind", String.class)),
                r.get("target_url", String.class), r.get("owner_platform_id", UUID.class),
                PartyId.of(r.get("owner_country_code", String.class), r.get("owner_party_id", String.class)),
                PartyId.of(r.get("caller_country_code", String.class), r.get("caller_party_id", String.class)),
                command == null || command.isEmpty() ? null : command,
                r.get("expires_at", OffsetDateTime.class).toInstant());
    }

    private static OffsetDateTime now() {
        return OcpiDateTime.now().atOffset(ZoneOffset.UTC);
    }
}
