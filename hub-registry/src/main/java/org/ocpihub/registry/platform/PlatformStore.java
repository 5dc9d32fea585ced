package org.ocpihub.registry.platform;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import org.ocpihub.ocpi.MessageIds;
import org.ocpihub.ocpi.OcpiDateTime;
import org.ocpihub.ocpi.OcpiJson;
import org.ocpihub.ocpi.credentials.CredentialsRole;
import org.ocpihub.ocpi.credentials.TokenEncoding;
import org.ocpihub.ocpi.party.BusinessDetails;
import org.ocpihub.ocpi.party.ConnectionStatus;
import org.ocpihub.ocpi.party.PartyRole;
import org.ocpihub.ocpi.party.Role;
import org.ocpihub.ocpi.version.InterfaceRole;
import org.ocpihub.ocpi.version.ModuleId;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;

import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.spi.Readable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Reads and writes platforms, roles, endpoints and token material in PostgreSQL, over R2DBC. */
@Component
public class PlatformStore {

    /**
     * The times as microseconds since the epoch, not timestamptz: r2dbc-postgresql parses a timestamptz from text
     * through a DateTimeFormatter, and the registry reloads every platform a few times per registration (with 1 000
     * members, parsing them was the largest cost of a reload; issue 11).
     */
    private static final String PLATFORM_COLUMNS = "id, name, status, registered, versions_url, version, token_encoding, "
            + "token_a_hash, hub_token_hash, peer_token_secret, "
            + "(extract(epoch from created_at) * 1000000)::bigint as created_us, "
            + "(extract(epoch from updated_at) * 1000000)::bigint as updated_us";

    private final DatabaseClient db;
    private final TransactionalOperator tx;

    public PlatformStore(DatabaseClient db, TransactionalOperator tx) {
        this.db = db;
        this.tx = tx;
    }

    /** A platform row with its secrets, before roles and endpoints are attached. */
    public record Row(Platform platform, PlatformSecrets secrets) {
    }

    public Mono<Platform> create(NewPlatform request, String tokenAHash) {
        UUID id = UUID.fromString(MessageIds.next()); // random v4, no entropy-file read on the event loop
        OffsetDateTime now = now();
        Mono<Long> insertPlatform = db.sql("insert into platform (id, name, status, token_encoding, token_a_hash, "
                        + "created_at, updated_at) values (:id, :name, :status, :enc, :hash, :now, :now)")
                .bind("id", id).bind("name", request.name()).bind("status", ConnectionStatus.PLANNED.name())
                .bind("enc", request.tokenEncoding().name()).bind("hash", tokenAHash).bind("now", now)
                .fetch().rowsUpdated();
        Flux<Long> insertRoles = Flux.fromIterable(request.roles()).concatMap(role -> insertRole(id, role, false));
        return insertPlatform.thenMany(insertRoles).then()
                .as(tx::transactional)
                .onErrorMap(DuplicateKeyException.class, e -> new RoleAlreadyGrantedException(
                        "a role in " + request.roles().stream().map(r -> r.partyRole().toString()).toList()
                                + " is already granted to another platform"))
                .then(Mono.defer(() -> findById(id)));
    }

    private Mono<Long> insertRole(UUID platformId, GrantedRole role, boolean claimed) {
        PartyRole pr = role.partyRole();
        return db.sql("insert into platform_role (platform_id, role, country_code, party_id, business_details, claimed) "
                        + "values (:pid, :role, :cc, :party, :details, :claimed)")
                .bind("pid", platformId).bind("role", pr.role().name()).bind("cc", pr.party().countryCode())
                .bind("party", pr.party().partyId())
                .bind("details", Json.of(OcpiJson.mapper().writeValueAsString(role.businessDetails())))
                .bind("claimed", claimed)
                .fetch().rowsUpdated();
    }

    public Mono<Platform> findById(UUID id) {
        return db.sql("select " + PLATFORM_COLUMNS + " from platform where id = :id").bind("id", id)
                .map(PlatformStore::readRow).one()
                .flatMap(row -> assemble(List.of(row)).next())
                .map(Row::platform);
    }

    public Flux<Platform> findAll() {
        return loadAll().map(Row::platform);
    }

    /** Every platform with roles, endpoints and secrets: what a registry snapshot is built from. */
    public Flux<Row> loadAll() {
        return db.sql("select " + PLATFORM_COLUMNS + " from platform order by created_at, id")
                .map(PlatformStore::readRow).all()
                .collectList()
                .flatMapMany(this::assemble);
    }

    private Flux<Row> assemble(List<Row> rows) {
        if (rows.isEmpty()) {
            return Flux.empty();
        }
        List<UUID> ids = rows.stream().map(r -> r.platform().id()).toList();
        Mono<Map<UUID, List<GrantedRole>>> roles = db.sql("select platform_id, role, country_code, party_id, "
                        + "business_details, claimed from platform_role where platform_id = any(:ids) "
                        + "order by role, country_code, party_id")
                .bind("ids", ids.toArray(UUID[]::new))
                .map(r -> Map.entry(r.get("platform_id", UUID.class), readRole(r))).all()
                .collect(Collectors.groupingBy(Map.Entry::getKey,
                        Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
        Mono<Map<UUID, List<PlatformEndpoint>>> endpoints = db.sql("select platform_id, module, interface_role, url "
                        + "from platform_endpoint where platform_id = any(:ids) order by module, interface_role")
                .bind("ids", ids.toArray(UUID[]::new))
                .map(r -> Map.entry(r.get("platform_id", UUID.class), new PlatformEndpoint(
                        ModuleId.fromId(r.get("module", String.class)).orElseThrow(),
                        InterfaceRole.valueOf(r.get("interface_role", String.class)), r.get("url", String.class))))
                .all()
                .collect(Collectors.groupingBy(Map.Entry::getKey,
                        Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
        return Mono.zip(roles, endpoints).flatMapMany(t -> Flux.fromIterable(rows).map(row -> {
            Platform p = row.platform();
            return new Row(new Platform(p.id(), p.name(), p.status(), p.registered(), p.versionsUrl(), p.version(),
                    p.tokenEncoding(), t.getT1().getOrDefault(p.id(), List.of()),
                    t.getT2().getOrDefault(p.id(), List.of()), p.createdAt(), p.updatedAt()), row.secrets());
        }));
    }

    public Mono<Void> replaceTokenA(UUID id, String tokenAHash, ConnectionStatus status) {
        return db.sql("update platform set token_a_hash = :hash, status = :status, updated_at = :now where id = :id")
                .bind("hash", tokenAHash).bind("status", status.name()).bind("now", now()).bind("id", id)
                .fetch().rowsUpdated().then();
    }

    /** The hash of the token the platform calls the hub with now; empty when it has none. */
    public Mono<String> hubTokenHash(UUID id) {
        return db.sql("select hub_token_hash from platform where id = :id").bind("id", id)
                .map(r -> Optional.ofNullable(r.get("hub_token_hash", String.class))).one()
                .flatMap(Mono::justOrEmpty);
    }

    /** Remembers (or, with null, forgets) the hash of a token the hub issued before the handshake using it ends. */
    public Mono<Void> setHubTokenHash(UUID id, String hubTokenHash) {
        DatabaseClient.GenericExecuteSpec spec = db.sql("update platform set hub_token_hash = :hash, "
                + "updated_at = :now where id = :id").bind("now", now()).bind("id", id);
        spec = hubTokenHash == null ? spec.bindNull("hash", String.class) : spec.bind("hash", hubTokenHash);
        return spec.fetch().rowsUpdated().then();
    }

    /** Stores a completed handshake in one transaction: platform CONNECTED, token A spent, endpoints replaced. */
    public Mono<Void> completeRegistration(Registration r) {
        OffsetDateTime now = now();
        Mono<Long> platform = db.sql("update platform set status = :status, registered = true, versions_url = :url, "
                        + "version = :version, token_a_hash = null, hub_token_hash = :hash, "
                        + "peer_token_secret = :peer, updated_at = :now where id = :id")
                .bind("status", ConnectionStatus.CONNECTED.name()).bind("url", r.versionsUrl())
                .bind("version", r.version()).bind("hash", r.hubTokenHash()).bind("peer", r.sealedPeerToken())
                .bind("now", now).bind("id", r.platformId())
                .fetch().rowsUpdated();
        Mono<Long> clearEndpoints = db.sql("delete from platform_endpoint where platform_id = :id")
                .bind("id", r.platformId()).fetch().rowsUpdated();
        Flux<Long> endpoints = Flux.fromIterable(r.endpoints()).concatMap(e -> db.sql("insert into platform_endpoint "
                        + "(platform_id, module, interface_role, url) values (:id, :module, :role, :url)")
                .bind("id", r.platformId()).bind("module", e.module().id()).bind("role", e.role().name())
                .bind("url", e.url()).fetch().rowsUpdated());
        Mono<Long> unclaim = db.sql("update platform_role set claimed = false where platform_id = :id")
                .bind("id", r.platformId()).fetch().rowsUpdated();
        Flux<Long> claim = Flux.fromIterable(r.claimedRoles()).concatMap(role -> db.sql("update platform_role set "
                        + "claimed = true, business_details = :details where platform_id = :id and role = :role "
                        + "and country_code = :cc and party_id = :party")
                .bind("details", Json.of(OcpiJson.mapper().writeValueAsString(role.businessDetails())))
                .bind("id", r.platformId()).bind("role", role.role().name())
                .bind("cc", role.partyRole().party().countryCode()).bind("party", role.partyRole().party().partyId())
                .fetch().rowsUpdated());
        return platform.then(clearEndpoints).thenMany(endpoints).then(unclaim).thenMany(claim).then()
                .as(tx::transactional);
    }

    /** Credentials DELETE or a failed handshake: tokens dead, status as given. */
    public Mono<Void> unregister(UUID id, ConnectionStatus status) {
        return db.sql("update platform set status = :status, registered = false, token_a_hash = null, "
                        + "hub_token_hash = null, peer_token_secret = null, updated_at = :now where id = :id")
                .bind("status", status.name()).bind("now", now()).bind("id", id)
                .fetch().rowsUpdated()
                .then(db.sql("update platform_role set claimed = false where platform_id = :id").bind("id", id)
                        .fetch().rowsUpdated())
                .then()
                .as(tx::transactional);
    }

    public Mono<Boolean> setStatus(UUID id, ConnectionStatus status) {
        return db.sql("update platform set status = :status, updated_at = :now where id = :id")
                .bind("status", status.name()).bind("now", now()).bind("id", id)
                .fetch().rowsUpdated().map(n -> n > 0);
    }

    /**
     * Moves a platform from {@code expected} to {@code next} only if it still is {@code expected} (compare and set):
     * a background decision taken on an older view (the still-alive check) never overwrites a newer change, such as
     * an operator's suspension. True when the row changed.
     */
    public Mono<Boolean> changeStatus(UUID id, ConnectionStatus expected, ConnectionStatus next) {
        return db.sql("update platform set status = :next, updated_at = :now where id = :id and status = :expected")
                .bind("next", next.name()).bind("now", now()).bind("id", id).bind("expected", expected.name())
                .fetch().rowsUpdated().map(n -> n > 0);
    }

    /**
     * Sets the OCPI token encoding the hub uses toward the platform (its {@code Authorization} header when the hub
     * calls it). True when the platform exists.
     */
    public Mono<Boolean> setTokenEncoding(UUID id, org.ocpihub.ocpi.credentials.TokenEncoding encoding) {
        return db.sql("update platform set token_encoding = :enc, updated_at = :now where id = :id")
                .bind("enc", encoding.name()).bind("now", now()).bind("id", id)
                .fetch().rowsUpdated().map(n -> n > 0);
    }

    /**
     * The platform's status changes, newest first (table {@code platform_status_change}, written by a trigger on
     * every status change and on creation), at most {@code limit}.
     */
    public Flux<StatusChange> statusHistory(UUID id, int limit) {
        return db.sql("select at, old_status, new_status from platform_status_change where platform_id = :id "
                        + "order by at desc, id desc limit :limit")
                .bind("id", id).bind("limit", limit)
                .map(r -> new StatusChange(r.get("at", java.time.OffsetDateTime.class).toInstant(),
                        r.get("old_status", String.class) == null ? null
                                : ConnectionStatus.valueOf(r.get("old_status", String.class)),
                        ConnectionStatus.valueOf(r.get("new_status", String.class))))
                .all();
    }

    public Mono<Boolean> delete(UUID id) {
        return db.sql("delete from platform where id = :id").bind("id", id).fetch().rowsUpdated().map(n -> n > 0);
    }

    /** Batched write of when platforms were last heard from (no registry reload: separate table, no trigger). */
    public Mono<Void> recordLastSeen(Map<UUID, Instant> lastSeen) {
        return Flux.fromIterable(lastSeen.entrySet()).concatMap(e -> db.sql("insert into platform_activity "
                        + "(platform_id, last_seen) select :id, :seen where exists (select 1 from platform where id = :id) "
                        + "on conflict (platform_id) do update set last_seen = greatest(platform_activity.last_seen, "
                        + "excluded.last_seen)")
                .bind("id", e.getKey()).bind("seen", e.getValue().atOffset(ZoneOffset.UTC))
                .fetch().rowsUpdated())
                .then();
    }

    public Mono<Map<UUID, Instant>> lastSeen(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return Mono.just(Map.of());
        }
        return db.sql("select platform_id, last_seen from platform_activity where platform_id = any(:ids)")
                .bind("ids", ids.toArray(UUID[]::new))
                .map(r -> Map.entry(r.get("platform_id", UUID.class),
                        r.get("last_seen", OffsetDateTime.class).toInstant()))
                .all()
                .collectMap(Map.Entry::getKey, Map.Entry::getValue);
    }

    private static Row readRow(Readable r) {
        Platform platform = new Platform(
                r.get("id", UUID.class), r.get("name", String.class),
                ConnectionStatus.valueOf(r.get("status", String.class)),
                Boolean.TRUE.equals(r.get("registered", Boolean.class)),
                r.get("versions_url", String.class), r.get("version", String.class),
                TokenEncoding.valueOf(r.get("token_encoding", String.class)),
                List.of(), List.of(),
                micros(r.get("created_us", Long.class)), micros(r.get("updated_us", Long.class)));
        return new Row(platform, new PlatformSecrets(r.get("token_a_hash", String.class),
                r.get("hub_token_hash", String.class), r.get("peer_token_secret", String.class)));
    }

    private static Instant micros(long sinceEpoch) {
        return Instant.ofEpochSecond(Math.floorDiv(sinceEpoch, 1_000_000L),
                Math.floorMod(sinceEpoch, 1_000_000L) * 1_000L);
    }

    private static GrantedRole readRole(Readable r) {
        Object details = r.get("business_details");
        String json = details instanceof Json j ? j.asString() : String.valueOf(details);
        return new GrantedRole(PartyRole.of(Role.valueOf(r.get("role", String.class)),
                r.get("country_code", String.class), r.get("party_id", String.class)),
                OcpiJson.mapper().readValue(json, BusinessDetails.class),
                Boolean.TRUE.equals(r.get("claimed", Boolean.class)));
    }

    private static OffsetDateTime now() {
        return OcpiDateTime.now().atOffset(ZoneOffset.UTC);
    }
}
