package org.ocpihub.ocpi.module;

import static org.ocpihub.ocpi.module.OwnerHint.indexed;
import static org.ocpihub.ocpi.module.OwnerHint.unknown;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import org.ocpihub.ocpi.module.Callback.Place;
import org.ocpihub.ocpi.module.Learned.Owner;
import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.ocpi.party.Role;
import org.ocpihub.ocpi.version.InterfaceRole;
import org.ocpihub.ocpi.version.ModuleId;

import tools.jackson.databind.JsonNode;

/**
 * The hub's profile of every OCPI 2.2.1 module, one constant each: each constant's arguments are the whole truth
 * about its module (see {@link ModuleProfile} for what each argument means). Section references: TERM = terminology,
 * TF = transport and format, LOC/SES/CDR/TAR/TOK/CMD/CP = the modules (chapters 8 to 14).
 */
public final class ModuleProfiles {

    /**
     * Locations (LOC 8): CPO (and NAP) data; RECEIVER URL {@code {country_code}/{party_id}/{location_id}
     * [/{evse_uid}[/{connector_id}]]} (LOC 8.2.2), an EVSE (id in {@code uid}) listed in the location's {@code evses},
     * a connector (id in {@code id}) in the EVSE's {@code connectors} (LOC 8.3.1, 8.3.2);
     * broadcast and kept (TF 4.1.8.3); a GET of one location on the SENDER interface (LOC 8.2.1.2) is open-routed
     * by the location id; pushes teach the hub which CPO owns a location id.
     */
    public static final ModuleProfile LOCATIONS = new ModuleProfile(ModuleId.LOCATIONS,
            Set.of(Role.CPO, Role.NAP), Set.of(Role.EMSP, Role.NSP, Role.NAP, Role.OTHER),
            ObjectUrl.of("location_id", "id").with("evse_uid", "uid", "evses").with("connector_id", "id", "connectors"),
            Sharing.ALL_PARTIES,
            new OpenRouting(false, r -> r.toSender() && !r.segments().isEmpty()
                    ? indexed(OwnerKind.LOCATION, r.segments().get(0), "location") : unknown()),
            List.of(), List.of(), RelayKind.PAGE,
            objectPush(OwnerKind.LOCATION, Owner.SENDER));

    /**
     * Sessions (SES 9): CPO data for one eMSP; RECEIVER URL {@code {country_code}/{party_id}/{session_id}}
     * (SES 9.2.2); never broadcast (TF 4.1.8.3). Open routing: a push goes to the owner of its {@code cdr_token}
     * (else the eMSP learned for the session id), the eMSP's charging preferences PUT
     * {@code {session_id}/charging_preferences} (SES 9.2.1.2) to the CPO running the session. Pushes teach both.
     */
    public static final ModuleProfile SESSIONS = new ModuleProfile(ModuleId.SESSIONS,
            Set.of(Role.CPO), Set.of(Role.EMSP, Role.SCSP, Role.OTHER),
            ObjectUrl.of("session_id", "id"),
            Sharing.ONE_PARTY,
            new OpenRouting(true, ModuleProfiles::sessionReceiver),
            List.of(), List.of(), RelayKind.PAGE,
            objectPush(OwnerKind.SESSION_CPO, Owner.SENDER, OwnerKind.SESSION_EMSP, Owner.RECEIVER));

    /**
     * CDRs (CDR 10): CPO data for one eMSP, POSTed to the collection URL of the RECEIVER interface (CDR 10.2.2.2)
     * with the CDR's own {@code country_code}/{@code party_id} (the sender's); never broadcast; open-routed to the
     * owner of its {@code cdr_token}. The answer's {@code Location} (the CDR in the eMSP's platform) becomes a relay
     * the CPO may GET, and so does any other unmappable URL of a CDRs answer.
     */
    public static final ModuleProfile CDRS = new ModuleProfile(ModuleId.CDRS,
            Set.of(Role.CPO), Set.of(Role.EMSP, Role.OTHER),
            null,
            Sharing.ONE_PARTY,
            new OpenRouting(true, r -> !r.toSender() && "POST".equals(r.method())
                    ? tokenOwner(r).orElseGet(() -> new OwnerHint.Unknown(
                            "cannot route the CDR: no cdr_token.country_code/party_id"))
                    : unknown()),
            List.of(BodyOwner.ofCollectionPost(InterfaceRole.RECEIVER)), List.of(), RelayKind.CDR_LOCATION,
            nothing());

    /**
     * Tariffs (TAR 11): CPO (and NAP) data; RECEIVER URL {@code {country_code}/{party_id}/{tariff_id}} (TAR 11.2.2);
     * broadcast and kept; not open-routed (no index knows tariff ids).
     */
    public static final ModuleProfile TARIFFS = new ModuleProfile(ModuleId.TARIFFS,
            Set.of(Role.CPO, Role.NAP), Set.of(Role.EMSP, Role.NSP, Role.NAP, Role.OTHER),
            ObjectUrl.of("tariff_id", "id"),
            Sharing.ALL_PARTIES,
            OpenRouting.NONE,
            List.of(), List.of(), RelayKind.PAGE,
            nothing());

    /**
     * Tokens (TOK 12): eMSP data; RECEIVER URL {@code {country_code}/{party_id}/{token_uid}} (TOK 12.2.1), the id in
     * {@code uid}; broadcast and kept; the CPO's real-time authorization {@code {token_uid}/authorize} (TOK
     * 12.2.2.2) is open-routed to the eMSP owning the token uid, which pushes teach the hub; for a uid no index knows,
     * every eMSP is asked and the first ALLOWED wins ({@link AuthorizeAnswers}, TF 4.1.8.4).
     */
    public static final ModuleProfile TOKENS = new ModuleProfile(ModuleId.TOKENS,
            Set.of(Role.EMSP, Role.OTHER), Set.of(Role.CPO),
            ObjectUrl.of("token_uid", "uid"),
            Sharing.ALL_PARTIES,
            new OpenRouting(false, r -> r.toSender() && r.segments().size() == 2
                    && "authorize".equals(r.segments().get(1))
                    ? indexed(OwnerKind.TOKEN, r.segments().get(0), "token").orAskAll(AuthorizeAnswers.RULE)
                    : unknown()),
            List.of(), List.of(), RelayKind.PAGE,
            objectPush(OwnerKind.TOKEN, Owner.SENDER));

    /**
     * Commands (CMD 13): the eMSP POSTs {@code {command}} to the CPO's RECEIVER interface (CMD 13.2.1) with a
     * {@code response_url} in the body, where the CPO POSTs the CommandResult (CMD 13.2.2); the hub watches the
     * CommandResponse to answer TIMEOUT itself. START_SESSION and RESERVE_NOW carry the eMSP's own Token (CMD
     * 13.3.5, 13.3.4). Open routing by the body: CANCEL_RESERVATION by reservation, STOP_SESSION by session, else by
     * location; a RESERVE_NOW teaches the hub which CPO holds the reservation.
     */
    public static final ModuleProfile COMMANDS = new ModuleProfile(ModuleId.COMMANDS,
            Set.of(Role.EMSP, Role.OTHER), Set.of(Role.CPO),
            null,
            Sharing.NONE,
            new OpenRouting(true, r -> !r.toSender() ? commandReceiver(r) : unknown()),
            List.of(BodyOwner.ofCommands(InterfaceRole.RECEIVER, "token", Set.of("START_SESSION", "RESERVE_NOW"))),
            List.of(new Callback(InterfaceRole.RECEIVER, "POST", Place.BODY, Callback.RESPONSE_URL, RelayKind.COMMAND,
                    true)),
            RelayKind.PAGE,
            ModuleProfiles::reservation);

    /**
     * ChargingProfiles (CP 14): requests to the CPO's RECEIVER interface (CP 14.4.1) about a session: PUT
     * SetChargingProfile with {@code response_url} in the body, GET and DELETE with {@code response_url} in the
     * query; the CPO POSTs the results there (CP 14.4.2). Open-routed by the session id to the CPO running it.
     */
    public static final ModuleProfile CHARGING_PROFILES = new ModuleProfile(ModuleId.CHARGING_PROFILES,
            Set.of(Role.EMSP, Role.SCSP, Role.OTHER), Set.of(Role.CPO),
            null,
            Sharing.NONE,
            new OpenRouting(false, r -> !r.toSender() && r.segments().size() == 1
                    ? indexed(OwnerKind.SESSION_CPO, r.segments().get(0), "session") : unknown()),
            List.of(),
            List.of(new Callback(InterfaceRole.RECEIVER, "PUT", Place.BODY, Callback.RESPONSE_URL,
                            RelayKind.CHARGING_PROFILE, false),
                    new Callback(InterfaceRole.RECEIVER, null, Place.QUERY, Callback.RESPONSE_URL,
                            RelayKind.CHARGING_PROFILE, false)),
            RelayKind.PAGE,
            nothing());

    /** Credentials (CRED 7): a configuration module, served by the hub itself. */
    public static final ModuleProfile CREDENTIALS = configuration(ModuleId.CREDENTIALS);

    /**
     * Hub Client Info (HCI 15): a configuration module; the hub serves the list and pushes ClientInfo to every
     * connected platform once (no routing headers, TF 4.1.8.2).
     */
    public static final ModuleProfile HUB_CLIENT_INFO = configuration(ModuleId.HUB_CLIENT_INFO);

    private static final Map<ModuleId, ModuleProfile> BY_ID = index(LOCATIONS, SESSIONS, CDRS, TARIFFS, TOKENS,
            COMMANDS, CHARGING_PROFILES, CREDENTIALS, HUB_CLIENT_INFO);

    /** The routed profiles in {@link ModuleId} order (the order the hub lists its endpoints in). */
    static final List<ModuleProfile> ROUTED = Arrays.stream(ModuleId.values()).map(BY_ID::get)
            .filter(ModuleProfile::routed).toList();

    private ModuleProfiles() {
    }

    static ModuleProfile of(ModuleId module) {
        return BY_ID.get(module);
    }

    private static Map<ModuleId, ModuleProfile> index(ModuleProfile... profiles) {
        Map<ModuleId, ModuleProfile> byId = new EnumMap<>(ModuleId.class);
        for (ModuleProfile profile : profiles) {
            if (byId.put(profile.id(), profile) != null) {
                throw new IllegalStateException("two profiles for " + profile.id());
            }
        }
        for (ModuleId module : ModuleId.values()) {
            if (!byId.containsKey(module)) {
                throw new IllegalStateException("no profile for " + module);
            }
        }
        return byId;
    }

    private static ModuleProfile configuration(ModuleId module) {
        return new ModuleProfile(module, Set.of(), Set.of(), null, Sharing.NONE, OpenRouting.NONE, List.of(),
                List.of(), null, nothing());
    }

    /** A session push goes to its cdr_token's owner, else to the eMSP learned for its id. */
    private static OwnerHint sessionReceiver(ModuleRequest r) {
        List<String> segments = r.segments();
        if (r.toSender()) {
            return segments.size() == 2 && "charging_preferences".equals(segments.get(1))
                    ? indexed(OwnerKind.SESSION_CPO, segments.get(0), "session") : unknown();
        }
        return tokenOwner(r).orElseGet(() -> segments.size() >= 3
                ? indexed(OwnerKind.SESSION_EMSP, segments.get(2), "session") : unknown());
    }

    /** The party named by the body's {@code cdr_token.country_code}/{@code party_id}, when both are readable. */
    private static Optional<OwnerHint> tokenOwner(ModuleRequest r) {
        JsonNode token = r.body() == null ? null : r.body().get("cdr_token");
        String cc = text(token, "country_code");
        String pid = text(token, "party_id");
        if (cc == null || pid == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new OwnerHint.Named(PartyId.of(cc, pid)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static OwnerHint commandReceiver(ModuleRequest r) {
        String reservation = text(r.body(), "reservation_id");
        String session = text(r.body(), "session_id");
        String location = text(r.body(), "location_id");
        String command = r.segments().isEmpty() ? "" : r.segments().get(0);
        if ("CANCEL_RESERVATION".equals(command) && reservation != null) {
            return indexed(OwnerKind.RESERVATION, reservation, "reservation");
        }
        if ("STOP_SESSION".equals(command) && session != null) {
            return indexed(OwnerKind.SESSION_CPO, session, "session");
        }
        if (location != null) {
            return indexed(OwnerKind.LOCATION, location, "location");
        }
        return new OwnerHint.Unknown("cannot route command " + command + ": no location_id, session_id or "
                + "reservation_id the hub knows; send OCPI-to headers");
    }

    /** A RESERVE_NOW names the reservation the receiving CPO will hold. */
    private static List<Learned> reservation(ModuleRequest r) {
        if (r.toSender() || r.body() == null || r.segments().size() != 1
                || !"RESERVE_NOW".equals(r.segments().get(0))) {
            return List.of();
        }
        JsonNode reservation = r.body().get("reservation_id");
        return reservation == null || reservation.isNull() ? List.of()
                : List.of(new Learned(OwnerKind.RESERVATION, reservation.asString(), Owner.RECEIVER));
    }

    /**
     * A push (PUT, PATCH) to an object URL reveals the owner of the object id: pairs of (index, whose it is).
     */
    private static Function<ModuleRequest, List<Learned>> objectPush(OwnerKind kind, Owner owner) {
        return objectPush(List.of(new IdOwner(kind, owner)));
    }

    private static Function<ModuleRequest, List<Learned>> objectPush(OwnerKind kind, Owner owner, OwnerKind kind2,
                                                                     Owner owner2) {
        return objectPush(List.of(new IdOwner(kind, owner), new IdOwner(kind2, owner2)));
    }

    private static Function<ModuleRequest, List<Learned>> objectPush(List<IdOwner> facts) {
        return r -> {
            if (!r.objectPush() || r.toSender() || r.segments().size() < 3) {
                return List.of();
            }
            List<Learned> learned = new ArrayList<>(facts.size());
            for (IdOwner fact : facts) {
                learned.add(new Learned(fact.kind(), r.segments().get(2), fact.owner()));
            }
            return learned;
        };
    }

    /** Which index an object id goes to, and whose it is there. */
    private record IdOwner(OwnerKind kind, Owner owner) {
    }

    private static Function<ModuleRequest, List<Learned>> nothing() {
        return r -> List.of();
    }

    private static String text(JsonNode node, String field) {
        if (node == null || node.get(field) == null || node.get(field).isNull()) {
            return null;
        }
        String value = node.get(field).asString();
        return value.isEmpty() ? null : value;
    }
}
