package org.ocpihub.broadcast.clientinfo;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.ocpihub.broadcast.BroadcastProperties;
import org.ocpihub.broadcast.log.BroadcastLog;
import org.ocpihub.broadcast.log.BroadcastRecord;
import org.ocpihub.ocpi.MessageIds;
import org.ocpihub.ocpi.OcpiJson;
import org.ocpihub.ocpi.party.ClientInfo;
import org.ocpihub.ocpi.party.ConnectionStatus;
import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.ocpi.party.PartyRole;
import org.ocpihub.ocpi.party.Role;
import org.ocpihub.ocpi.version.ModuleId;
import org.ocpihub.registry.platform.RegistryChangeHook;
import org.ocpihub.registry.task.PeriodicTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;

import io.r2dbc.postgresql.codec.Json;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Relays connection-status changes (recorded by the database in {@code client_info_event}) to the broadcast log as
 * ClientInfo PUTs (HCI 15.2.1): a change is announced to every other member; a platform that just registered also
 * gets the full current list. Rows are claimed with {@code FOR UPDATE SKIP LOCKED} and deleted in the transaction that
 * appended them, so each change is relayed once, by whichever instance gets there first. Runs after every registry
 * refresh (the writer of a change waits for it) and every second in the background (changes of a crashed instance).
 * <p>
 * After a refresh it also waits for the changes another relay holds (this instance's background run, or another
 * instance): a writer must not answer before its change is in the log, or a member could push data that overtakes
 * the CONNECTED announcing it (HCI 15.1.1). Skipping those rows, as the background run does, returned early.
 * <p>
 * A PLANNED announcement waits {@code hub.broadcast.client-info-planned-delay} first (it is left in the table, and
 * no writer waits for it), and is dropped if the platform is no longer PLANNED by then: it registered meanwhile, and
 * its CONNECTED is what members must hear ({@link org.ocpihub.broadcast.BroadcastProperties}).
 */
@Component
public class ClientInfoOutbox extends PeriodicTask implements RegistryChangeHook {

    private static final Logger log = LoggerFactory.getLogger(ClientInfoOutbox.class);
    private static final Duration POLL = Duration.ofSeconds(1);

    private final DatabaseClient db;
    private final TransactionalOperator tx;
    private final BroadcastLog broadcastLog;

    /** One recorded change. */
    record Event(long id, UUID platformId, ConnectionStatus status, List<PartyRole> roles, boolean statusChanged,
                 boolean handshake, Instant changedAt) {
    }

    /**
     * Which rows may be relayed now: all but a PLANNED announcement younger than the delay (bound as
     * {@code :plannedDelayMicros}).
     */
    private static final String DUE = " and not (status = 'PLANNED' and status_changed and not handshake"
            + " and changed_at > now() - make_interval(secs => :plannedDelayMicros / 1000000.0))";
    /** The rows a writer waits for: all but PLANNED announcements (nothing a member does depends on them). */
    private static final String AWAITED = " and not (status = 'PLANNED' and status_changed and not handshake)";

    private final long plannedDelayMicros;
    /** Whether a new member's list goes as list records ({@code partition-key=object}) or a record per party. */
    private final boolean listRecords;

    public ClientInfoOutbox(DatabaseClient db, TransactionalOperator tx, BroadcastLog broadcastLog,
                            BroadcastProperties properties) {
        super(POLL);
        this.db = db;
        this.tx = tx;
        this.broadcastLog = broadcastLog;
        this.plannedDelayMicros = properties.clientInfoPlannedDelay().toNanos() / 1000;
        this.listRecords = properties.keyedByObject();
    }

    @Override
    public Mono<Void> afterRefresh() {
        return flush().onErrorResume(ClientInfoOutbox::kept);
    }

    private static Mono<Void> kept(Throwable e) {
        log.warn("could not relay connection-status changes now (kept for the next attempt): {}", e.toString());
        return Mono.empty();
    }

    /**
     * Relays everything pending, batch by batch, then waits until every change recorded before the call is in the
     * broadcast log, relayed here or by another relay that held it (if that relay failed, this one relays it).
     */
    public Mono<Void> flush() {
        return db.sql("select coalesce(max(event_id), 0) as h from client_info_event")
                .map(r -> r.get("h", Long.class)).one()
                .flatMap(highWater -> relayAvailable().then(awaitHeld(highWater)));
    }

    /** Relays what no other relay holds now. */
    private Mono<Void> relayAvailable() {
        return relayBatch(false, Long.MAX_VALUE)
                .expand(n -> n > 0 ? relayBatch(false, Long.MAX_VALUE) : Mono.empty())
                .then();
    }

    /**
     * Waits for the changes up to {@code highWater} that other relays hold (a plain {@code FOR UPDATE} waits for
     * their transactions; rows they deleted are then skipped) and relays whatever they left; until none is left.
     */
    private Mono<Void> awaitHeld(long highWater) {
        Mono<Boolean> left = db.sql("select exists(select 1 from client_info_event where event_id <= :h" + AWAITED
                        + ") as left")
                .bind("h", highWater)
                .map(r -> Boolean.TRUE.equals(r.get("left", Boolean.class))).one();
        return left.flatMap(any -> any
                ? relayBatch(true, highWater).then(Mono.defer(() -> awaitHeld(highWater)))
                : Mono.empty());
    }

    /**
     * How long the wait for a change another relay holds may take: that relay appends and commits within
     * milliseconds unless its instance stalled, and every refresh of this instance waits meanwhile (the flush is one
     * of its hooks); past it the flush fails, is logged, and the change is relayed by whoever gets to it next.
     */
    static final String HELD_WAIT = "10s";

    /**
     * One transaction: up to 100 changes (up to {@code upTo}), relayed and deleted. Without {@code waitForHeld}:
     * those due that no other relay holds ({@code SKIP LOCKED}); with it: those a writer waits for ({@link #AWAITED}),
     * waiting up to {@link #HELD_WAIT} for another relay that holds them.
     */
    private Mono<Integer> relayBatch(boolean waitForHeld, long upTo) {
        DatabaseClient.GenericExecuteSpec select = db.sql("select * from client_info_event where event_id <= :upTo"
                + (waitForHeld ? AWAITED : DUE) + " order by event_id limit 100"
                + (waitForHeld ? " for update" : " for update skip locked")).bind("upTo", upTo);
        if (!waitForHeld) {
            select = select.bind("plannedDelayMicros", plannedDelayMicros);
        }
        Mono<Void> bounded = waitForHeld ? db.sql("set local lock_timeout = '" + HELD_WAIT + "'").then()
                : Mono.empty();
        return bounded.thenMany(select
                .map(r -> new Event(r.get("event_id", Long.class), r.get("platform_id", UUID.class),
                        ConnectionStatus.valueOf(r.get("status", String.class)), roles(r.get("roles")),
                        Boolean.TRUE.equals(r.get("status_changed", Boolean.class)),
                        Boolean.TRUE.equals(r.get("handshake", Boolean.class)),
                        r.get("changed_at", OffsetDateTime.class).toInstant()))
                .all()
                // read to the end before the first statement below: a statement on a connection waits for the
                // result before it, and that result streams only as fast as this chain asks; once a batch outgrew
                // what was read ahead (about 32 rows here) the two waited for each other, the transaction never
                // ended and its locks stalled every registration on every instance (ClientInfoOutboxTest)
                .collectList())
                .concatMapIterable(events -> events)
                .concatMap(event -> relay(event).flatMap(done -> !done ? Mono.just(0L)
                        : db.sql("delete from client_info_event where event_id = :id").bind("id", event.id())
                                .fetch().rowsUpdated()))
                .reduce(0L, Long::sum)
                .map(Long::intValue)
                .as(tx::transactional);
    }

    /** Relays one change; false when it has to wait for a later round (it then stays in the table). */
    private Mono<Boolean> relay(Event event) {
        if (event.statusChanged() && !event.handshake() && event.status() == ConnectionStatus.PLANNED) {
            // a waiting PLANNED goes out only if the platform is still in the PLANNED it announces (not registered,
            // nor changed and made PLANNED again since: that newer change announces itself). The share lock holds
            // back a registration committing meanwhile, so its CONNECTED is recorded, and so relayed, after this;
            // a platform row locked by a change in progress leaves the PLANNED for the next round instead of
            // making that change wait for this whole batch
            return db.sql("select (p.status = 'PLANNED' and p.status_changed_at = e.changed_at) as current "
                            + "from platform p, client_info_event e where p.id = :id and e.event_id = :event "
                            + "for share of p skip locked")
                    .bind("id", event.platformId()).bind("event", event.id())
                    .map(r -> Boolean.TRUE.equals(r.get("current", Boolean.class))).one()
                    .flatMap(current -> current ? announce(event).thenReturn(true) : notAnnounced(event))
                    .switchIfEmpty(Mono.defer(() -> platformExists(event.platformId())
                            .map(exists -> !exists))); // gone: dropped (its deletion announces SUSPENDED)
        }
        return announce(event).thenReturn(true);
    }

    private static Mono<Boolean> notAnnounced(Event event) {
        log.debug("PLANNED of {} not announced: the platform changed status since", event.platformId());
        return Mono.just(true);
    }

    private Mono<Boolean> platformExists(UUID platformId) {
        return db.sql("select count(*) as n from platform where id = :id").bind("id", platformId)
                .map(r -> r.get("n", Long.class)).one().map(n -> n > 0);
    }

    private Mono<Void> announce(Event event) {
        Flux<BroadcastRecord> records = Flux.empty();
        if (event.statusChanged()) {
            records = Flux.fromIterable(event.roles()).map(role -> record(ClientInfo.of(role, event.status(),
                    event.changedAt()), event.platformId(), null, event.id()));
            log.info("announcing {} as {}", event.roles(), event.status());
        }
        if (event.handshake() && listRecords) {
            // the full list goes as a few list records, each fanned out as one PUT per party (ClientInfoList)
            records = records.concatWith(currentList(event.platformId()).collectList()
                    .flatMapIterable(list -> ClientInfoList.records(list, event.platformId(), event.id())));
        } else if (event.handshake()) {
            // keyed by owner, a party's ClientInfo shares its data's partition and so precedes its later data there:
            // a record per party keeps that
            records = records.concatWith(currentList(event.platformId())
                    .map(info -> record(info, null, event.platformId(), event.id())));
        }
        // one producer batch for all, not one round trip each (with 1 000 members, one at a time made each
        // registration wait seconds; issue 11)
        return records.collectList().flatMap(list -> broadcastLog.appendAll(list).timeout(APPEND_WAIT));
    }

    /**
     * How long a relay waits for Kafka to take its records while it holds their rows: longer than the producer's own
     * bounds ({@code max.block.ms} 5 s + {@code delivery.timeout.ms} 10 s), so it fires only if Kafka's answer is
     * lost. The transaction then rolls back and the change is relayed again, rather than its rows staying locked
     * until PostgreSQL ends the session ({@code hub.database.idle-in-transaction-timeout}).
     */
    static final Duration APPEND_WAIT = Duration.ofSeconds(20);

    /** Every party of every other platform, as it stands now (HCI 15.2.2 pull model, pushed to a new member). */
    private Flux<ClientInfo> currentList(UUID platformId) {
        return db.sql("select r.role, r.country_code, r.party_id, p.status, p.status_changed_at from platform_role r "
                        + "join platform p on p.id = r.platform_id where p.id <> :id order by r.country_code, r.party_id")
                .bind("id", platformId)
                .map(r -> new ClientInfo(r.get("party_id", String.class), r.get("country_code", String.class),
                        Role.valueOf(r.get("role", String.class)),
                        ConnectionStatus.valueOf(r.get("status", String.class)),
                        r.get("status_changed_at", OffsetDateTime.class).toInstant()))
                .all();
    }

    /**
     * A ClientInfo PUT as a broadcast record: to everybody but {@code about}, or only to {@code onlyTo}.
     *
     * @param version the event's id: events are numbered in the order the changes were recorded, and a newcomer's
     *                list, read while its event is relayed, holds every change recorded before it (and maybe some
     *                after: those are then sent again, never an older one over them)
     */
    static BroadcastRecord record(ClientInfo info, UUID about, UUID onlyTo, long version) {
        return record(info, about, onlyTo, version, MessageIds.next(), MessageIds.next(), Instant.now());
    }

    /** {@link #record(ClientInfo, UUID, UUID, long)} with given ids and acceptance time (an entry of a list). */
    static BroadcastRecord record(ClientInfo info, UUID about, UUID onlyTo, long version, String id,
                                  String correlationId, Instant acceptedAt) {
        PartyId party = PartyId.of(info.countryCode(), info.partyId());
        return new BroadcastRecord(id, correlationId, ModuleId.HUB_CLIENT_INFO, "PUT", party,
                info.role(), about, "/" + info.countryCode() + "/" + info.partyId(), null,
                OcpiJson.mapper().writeValueAsBytes(info), acceptedAt, onlyTo).withVersion(version);
    }

    private static List<PartyRole> roles(Object json) {
        String text = json instanceof Json j ? j.asString() : String.valueOf(json);
        List<PartyRole> roles = new ArrayList<>();
        for (JsonNode node : OcpiJson.mapper().readTree(text)) {
            roles.add(PartyRole.of(Role.valueOf(node.get("role").asString()), node.get("country_code").asString(),
                    node.get("party_id").asString()));
        }
        return roles;
    }

    /** The background run: what nobody else holds (a crashed instance's changes); it waits for no one. */
    @Override
    protected Mono<Void> runOnce(long tick) {
        return relayAvailable().onErrorResume(ClientInfoOutbox::kept);
    }
}
