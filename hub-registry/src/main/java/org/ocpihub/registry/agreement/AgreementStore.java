package org.ocpihub.registry.agreement;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.UUID;

import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.ocpi.version.ModuleId;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

import io.r2dbc.spi.Readable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Agreements and per-party opt-ins in PostgreSQL ({@code V11__agreements.sql}). Every write fires
 * {@code registry_changed}, so every instance reloads its snapshot, which holds the {@link AgreementBook}.
 */
@Repository
public class AgreementStore {

    private static final String COLUMNS = "id, first_cc, first_pid, second_cc, second_pid, modules, valid_from, "
            + "valid_until, created_at, created_by";

    private final DatabaseClient db;

    public AgreementStore(DatabaseClient db) {
        this.db = db;
    }

    /** Every agreement. */
    public Flux<Agreement> findAll() {
        return db.sql("select " + COLUMNS + " from agreement order by created_at, id").map(AgreementStore::read).all();
    }

    /** One agreement, or empty. */
    public Mono<Agreement> find(UUID id) {
        return db.sql("select " + COLUMNS + " from agreement where id = :id").bind("id", id)
                .map(AgreementStore::read).one();
    }

    /** Every party that opted in. */
    public Flux<PartyId> optedIn() {
        return db.sql("select country_code, party_id from agreement_required_party order by country_code, party_id")
                .map(r -> PartyId.of(r.get("country_code", String.class), r.get("party_id", String.class))).all();
    }

    public Mono<Void> insert(Agreement a) {
        DatabaseClient.GenericExecuteSpec spec = db.sql("insert into agreement (" + COLUMNS + ") values (:id, :fcc, "
                        + ":fpid, :scc, :spid, :modules, :from, :until, :created, :by)")
                .bind("id", a.id())
                .bind("fcc", a.pair().first().countryCode()).bind("fpid", a.pair().first().partyId())
                .bind("scc", a.pair().second().countryCode()).bind("spid", a.pair().second().partyId())
                .bind("modules", a.modules().stream().map(ModuleId::id).sorted().toArray(String[]::new))
                .bind("created", utc(a.createdAt())).bind("by", a.createdBy());
        spec = a.validFrom() == null ? spec.bindNull("from", OffsetDateTime.class) : spec.bind("from", utc(a.validFrom()));
        spec = a.validUntil() == null ? spec.bindNull("until", OffsetDateTime.class)
                : spec.bind("until", utc(a.validUntil()));
        return spec.fetch().rowsUpdated().then();
    }

    /** Deletes one agreement; true when it existed. */
    public Mono<Boolean> delete(UUID id) {
        return db.sql("delete from agreement where id = :id").bind("id", id).fetch().rowsUpdated().map(n -> n > 0);
    }

    /** Opts a party in; true when it was not yet. */
    public Mono<Boolean> optIn(PartyId party, Instant now) {
        return db.sql("insert into agreement_required_party (country_code, party_id, since) values (:cc, :pid, :now) "
                        + "on conflict do nothing")
                .bind("cc", party.countryCode()).bind("pid", party.partyId()).bind("now", utc(now))
                .fetch().rowsUpdated().map(n -> n > 0);
    }

    /** Opts a party out; true when it was in. */
    public Mono<Boolean> optOut(PartyId party) {
        return db.sql("delete from agreement_required_party where country_code = :cc and party_id = :pid")
                .bind("cc", party.countryCode()).bind("pid", party.partyId())
                .fetch().rowsUpdated().map(n -> n > 0);
    }

    /** The book for a snapshot: every agreement and opt-in, under {@code mode}. */
    public Mono<AgreementBook> book(AgreementMode mode) {
        return Mono.zip(findAll().collectList(), optedIn().collectList())
                .map(t -> new AgreementBook(mode, t.getT1(), t.getT2()));
    }

    private static Agreement read(Readable r) {
        String[] modules = r.get("modules", String[].class);
        return new Agreement(r.get("id", UUID.class),
                AgreementPair.of(PartyId.of(r.get("first_cc", String.class), r.get("first_pid", String.class)),
                        PartyId.of(r.get("second_cc", String.class), r.get("second_pid", String.class))),
                Arrays.stream(modules).map(m -> ModuleId.fromId(m).orElseThrow()).collect(
                        java.util.stream.Collectors.toUnmodifiableSet()),
                instant(r.get("valid_from", OffsetDateTime.class)), instant(r.get("valid_until", OffsetDateTime.class)),
                r.get("created_at", OffsetDateTime.class).toInstant(), r.get("created_by", String.class));
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }

    private static OffsetDateTime utc(Instant t) {
        return t.atOffset(ZoneOffset.UTC);
    }
}
