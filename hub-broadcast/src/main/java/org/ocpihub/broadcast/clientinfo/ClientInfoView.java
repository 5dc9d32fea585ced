package org.ocpihub.broadcast.clientinfo;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.ocpihub.ocpi.party.ClientInfo;
import org.ocpihub.ocpi.party.ConnectionStatus;
import org.ocpihub.ocpi.party.Role;
import org.ocpihub.ocpi.OcpiDateTime;
import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.registry.agreement.AgreementBook;
import org.ocpihub.registry.agreement.AgreementMode;
import org.ocpihub.registry.platform.PlatformRegistry;
import org.ocpihub.registry.platform.RegistrySnapshot;
import org.ocpihub.registry.http.AdminApiException;
import org.springframework.http.HttpStatus;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;

/**
 * What Hub Client Info tells a platform (HCI 15, the hub's SENDER list): one {@link ClientInfo} per role of every
 * other platform the platform may communicate with (where agreements are required, parties one of its parties has an
 * agreement in force with; issue 13), with its status and when that last changed, ordered by that time. The one query behind the
 * platform's own {@code GET hubclientinfo} ({@link ClientInfoController}, paged) and the operator's view of it
 * ({@link #forPlatform}, whole).
 */
@Component
public class ClientInfoView {

    /** The most entries {@link #forPlatform} returns (a hub with more parties than this is not expected). */
    public static final int MAX_ENTRIES = 10_000;

    /**
     * One page of the list.
     *
     * @param total how many entries the whole list (within the dates) has
     * @param items this page's entries
     */
    public record Page(long total, List<ClientInfo> items) {
    }

    private final DatabaseClient db;
    private final PlatformRegistry registry;

    /**
     * @param registry the snapshot whose agreements decide which parties a platform may communicate with (issue 13)
     */
    public ClientInfoView(DatabaseClient db, PlatformRegistry registry) {
        this.db = db;
        this.registry = registry;
    }

    /**
     * The parties {@code platformId} may communicate with as {@code CC/PID} keys (HCI 15: the list holds "parties
     * the member may communicate with"): those at least one of its parties has an agreement in force with, where
     * agreements gate the pair; null when nothing is gated (mode {@code open}).
     */
    private String[] visible(UUID platformId) {
        RegistrySnapshot snapshot = registry.snapshot();
        AgreementBook book = snapshot.agreements();
        if (book.mode() == AgreementMode.OPEN) {
            return null;
        }
        Set<PartyId> mine = snapshot.platform(platformId)
                .map(e -> e.platform().roles().stream().map(r -> r.partyRole().party())
                        .collect(java.util.stream.Collectors.toSet()))
                .orElse(Set.of());
        Instant now = OcpiDateTime.now();
        return snapshot.parties().stream()
                .filter(other -> mine.stream().anyMatch(m -> book.allowsAny(m, other, now)))
                .map(PartyId::toString).sorted().toArray(String[]::new);
    }

    /**
     * One page of what the hub's {@code GET hubclientinfo} answers {@code platformId}.
     *
     * @param platformId the platform asking (its own roles are left out)
     * @param from       only entries whose status changed at or after this, or null
     * @param to         only entries whose status changed before this, or null
     * @param offset     entries to skip, at least 0
     * @param limit      entries at most, at least 1
     */
    public Mono<Page> page(UUID platformId, Instant from, Instant to, int offset, int limit) {
        String[] visible = visible(platformId);
        String where = " from platform_role r join platform p on p.id = r.platform_id where p.id <> :me"
                + (visible == null ? "" : " and r.country_code || '/' || r.party_id = any(:visible)")
                + (from == null ? "" : " and p.status_changed_at >= :from")
                + (to == null ? "" : " and p.status_changed_at < :to");
        Mono<Long> total = bind(db.sql("select count(*)" + where), platformId, from, to, visible)
                .map(r -> r.get(0, Long.class)).one();
        Mono<List<ClientInfo>> infos = bind(db.sql("select r.role, r.country_code, r.party_id, p.status, "
                        + "p.status_changed_at" + where + " order by p.status_changed_at, r.country_code, r.party_id, "
                        + "r.role offset :offset limit :limit"), platformId, from, to, visible)
                .bind("offset", offset).bind("limit", limit)
                .map(r -> new ClientInfo(r.get("party_id", String.class), r.get("country_code", String.class),
                        Role.valueOf(r.get("role", String.class)),
                        ConnectionStatus.valueOf(r.get("status", String.class)),
                        r.get("status_changed_at", OffsetDateTime.class).toInstant()))
                .all().collectList();
        return Mono.zip(total, infos).map(t -> new Page(t.getT1(), t.getT2()));
    }

    /**
     * Everything the hub's {@code GET hubclientinfo} would return to this platform, all pages together (at most
     * {@value #MAX_ENTRIES}).
     *
     * @param platformId the platform
     * @return the entries, ordered as the platform would page through them
     * @throws AdminApiException 404 when no platform has this id
     */
    public Mono<List<ClientInfo>> forPlatform(UUID platformId) {
        return db.sql("select count(*) from platform where id = :id").bind("id", platformId)
                .map(r -> r.get(0, Long.class)).one()
                .flatMap(n -> n == 0
                        ? Mono.error(new AdminApiException(HttpStatus.NOT_FOUND, "no platform with id " + platformId))
                        : page(platformId, null, null, 0, MAX_ENTRIES).map(Page::items));
    }

    private static DatabaseClient.GenericExecuteSpec bind(DatabaseClient.GenericExecuteSpec spec, UUID me,
                                                          Instant from, Instant to, String[] visible) {
        spec = spec.bind("me", me);
        if (visible != null) {
            spec = spec.bind("visible", visible);
        }
        if (from != null) {
            spec = spec.bind("from", from.atOffset(ZoneOffset.UTC));
        }
        if (to != null) {
            spec = spec.bind("to", to.atOffset(ZoneOffset.UTC));
        }
        return spec;
    }
}
