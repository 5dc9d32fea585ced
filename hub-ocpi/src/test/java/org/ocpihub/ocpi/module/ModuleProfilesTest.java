package org.ocpihub.ocpi.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.ocpihub.ocpi.CiString;
import org.ocpihub.ocpi.SpecExamples;
import org.ocpihub.ocpi.StrictJson;
import org.ocpihub.ocpi.module.Callback.Place;
import org.ocpihub.ocpi.module.Learned.Owner;
import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.ocpi.version.InterfaceRole;
import org.ocpihub.ocpi.version.ModuleId;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The module profiles against the spec: every functional module has one, configuration modules are not routed, the
 * Client Owned Object URLs read the spec's example URLs and their id fields hold the ids of the spec's example
 * bodies, and open routing, learning, callbacks and body owners answer as the modules' chapters say. The role table
 * itself is {@link ModuleRolesTest}.
 */
class ModuleProfilesTest {

    @ParameterizedTest
    @EnumSource(ModuleId.class)
    void everyModuleHasOneProfileAndOnlyFunctionalOnesAreRouted(ModuleId module) {
        ModuleProfile profile = ModuleProfile.of(module);

        assertThat(profile.id()).isEqualTo(module);
        assertThat(profile.routed()).isEqualTo(module.isFunctional());
        if (!profile.routed()) {
            assertThat(profile.senderInterface()).isEmpty();
            assertThat(profile.receiverInterface()).isEmpty();
            assertThat(profile.clientOwnedObjects()).isEmpty();
            assertThat(profile.sharing()).isEqualTo(Sharing.NONE);
            assertThat(profile.callbacks()).isEmpty();
            assertThat(profile.bodyOwners()).isEmpty();
            assertThat(profile.openRouting()).isSameAs(OpenRouting.NONE);
        } else {
            assertThat(profile.senderInterface()).isNotEmpty();
            assertThat(profile.receiverInterface()).isNotEmpty();
            assertThat(profile.answerRelay()).isNotNull();
        }
    }

    @Test
    void routedProfilesAreTheFunctionalModulesInModuleIdOrder() {
        assertThat(ModuleProfile.allRouted()).extracting(ModuleProfile::id)
                .containsExactlyElementsOf(Arrays.stream(ModuleId.values()).filter(ModuleId::isFunctional).toList());
    }

    /** TF 4.1.8.3: Locations, Tariffs and Tokens are for everyone; Sessions and CDRs for one party. */
    @ParameterizedTest
    @CsvSource({"locations, ALL_PARTIES", "tariffs, ALL_PARTIES", "tokens, ALL_PARTIES", "sessions, ONE_PARTY",
            "cdrs, ONE_PARTY", "commands, NONE", "chargingprofiles, NONE", "credentials, NONE", "hubclientinfo, NONE"})
    void sharing(String module, Sharing sharing) {
        assertThat(profile(module).sharing()).isEqualTo(sharing);
        assertThat(profile(module).sharedWithAll()).isEqualTo(sharing == Sharing.ALL_PARTIES);
    }

    /** TF 4.1.5: the RECEIVER URLs of Locations, Sessions, Tariffs and Tokens carry the owner; none else do. */
    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "locations;        {country_code}/{party_id}/{location_id}[/{evse_uid}[/{connector_id}]]",
            "sessions;         {country_code}/{party_id}/{session_id}",
            "tariffs;          {country_code}/{party_id}/{tariff_id}",
            "tokens;           {country_code}/{party_id}/{token_uid}",
            "cdrs;             ''",
            "commands;         ''",
            "chargingprofiles; ''"})
    void clientOwnedObjectUrls(String module, String pattern) {
        ModuleProfile profile = profile(module);
        assertThat(profile.clientOwnedObjects().map(ObjectUrl::pattern).orElse("")).isEqualTo(pattern);
        assertThat(profile.clientOwnedObjectUrl(InterfaceRole.RECEIVER)).isEqualTo(!pattern.isEmpty());
        assertThat(profile.clientOwnedObjectUrl(InterfaceRole.SENDER)).isFalse();
    }

    /** Paths of the spec's example URLs (after {@code /<module>/}) and what they name. */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = ';', value = {
            // module; path; owner; ids; id field of the innermost id ('' = no such URL)
            "locations; BE/BEC/LOC1;         BE/BEC; LOC1;        id",    // LOC 8.2.2.1
            "locations; BE/BEC/LOC1/3256;    BE/BEC; LOC1 3256;   uid",   // an EVSE
            "locations; NL/TNM/1012/3255/2;  NL/TNM; 1012 3255 2; id",    // a connector (LOC 8.2.2.3 example)
            "sessions;  BE/BEC/1234;         BE/BEC; 1234;        id",    // SES 9.2.2.1
            "tariffs;   NL/TNM/12;           NL/TNM; 12;          id",    // TAR 11.2.2.2 example
            "tokens;    NL/TNM/012345678;    NL/TNM; 012345678;   uid",   // TOK 12.2.1.2 example
            "locations; NL/TNM;              '';     '';          ''",    // no object
            "locations; NL/TNM/1/2/3/4;      '';     '';          ''",    // deeper than a connector
            "tokens;    NL/TNM/012345678/x;  '';     '';          ''",    // tokens have no parts
    })
    void objectUrlsReadTheSpecsExamplePaths(String module, String path, String owner, String ids, String idField) {
        ObjectUrl url = profile(module).clientOwnedObjects().orElseThrow();
        var parsed = url.parse(List.of(path.split("/")));
        if (owner.isEmpty()) {
            assertThat(parsed).isEmpty();
            return;
        }
        assertThat(parsed).isPresent();
        assertThat(parsed.get().countryCode() + "/" + parsed.get().partyId()).isEqualTo(owner);
        assertThat(parsed.get().ids()).containsExactly(ids.split(" "));
        assertThat(url.idField(parsed.get().depth())).isEqualTo(idField);
    }

    /**
     * Every "PUT/PATCH To URL" example of the spec's module chapters parses under its module's object URL, and when
     * the example body repeats the id, it is in the field the profile names (read from ../shared, never copied).
     */
    @Test
    void everyPushExampleOfTheSpecFitsItsObjectUrl() throws IOException {
        Path spec = specDir();
        Pattern push = Pattern.compile("^(?:PUT|PATCH)(?: To URL:)? https?://\\S+?/2\\.2\\.1/([a-z]+)/(\\S+)$");
        Pattern include = Pattern.compile("include::examples/(\\S+\\.json)\\[\\]");
        List<String> checked = new ArrayList<>();
        try (var files = Files.list(spec)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("mod_")).sorted().toList()) {
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    Matcher m = push.matcher(lines.get(i).trim());
                    if (!m.matches()) {
                        continue;
                    }
                    ModuleId module = ModuleId.fromId(m.group(1)).orElse(null);
                    if (module == null || !module.isFunctional()) {
                        continue; // e.g. the Hub Client Info chapter's 2.0 example
                    }
                    ObjectUrl url = ModuleProfile.of(module).clientOwnedObjects().orElseThrow();
                    var parsed = url.parse(List.of(m.group(2).split("/")));
                    assertThat(parsed).as(lines.get(i)).isPresent();
                    for (int j = i + 1; j < Math.min(lines.size(), i + 4); j++) {
                        Matcher body = include.matcher(lines.get(j));
                        if (body.find()) {
                            JsonNode id = StrictJson.readObject(SpecExamples.read(body.group(1)).getBytes())
                                    .get(url.idField(parsed.get().depth()));
                            List<String> ids = parsed.get().ids();
                            if (id != null) {
                                assertThat(CiString.same(id.asString(), ids.get(ids.size() - 1))).as(lines.get(i))
                                        .isTrue();
                            }
                        }
                    }
                    checked.add(lines.get(i));
                }
            }
        }
        assertThat(checked).as("push examples found in the spec").hasSizeGreaterThanOrEqualTo(8);
    }

    /** The parts of a location sit where the spec's example Location has them: evses by uid, connectors by id. */
    @Test
    void locationPartsAreListedWhereTheSpecsExampleHasThem() {
        ObjectUrl url = ModuleProfile.of(ModuleId.LOCATIONS).objectUrl();
        JsonNode part = StrictJson.readObject(SpecExamples.read("location_example.json").getBytes());
        assertThat(url.levels().get(0).partsField()).isNull();
        for (ObjectUrl.Level level : url.levels().subList(1, url.levels().size())) {
            JsonNode list = part.get(level.partsField());
            assertThat(list).as(level.partsField()).isNotNull();
            assertThat(list.isArray()).isTrue();
            part = list.get(0);
            assertThat(part.get(level.idField())).as(level.partsField() + "[0]." + level.idField()).isNotNull();
        }
    }

    /** TF 4.1.8.4: where each module's receiver is found without OCPI-to headers. */
    @ParameterizedTest(name = "{0} {1} {2} /{3}")
    @CsvSource(delimiter = ';', value = {
            // module; interface; method; path; body; expected (kind:id, party cc/pid, or ? = unknown)
            "tokens;           SENDER;   POST;   012345678/authorize; ;                                 TOKEN:012345678",
            "tokens;           RECEIVER; PUT;    NL/TNM/012345678;    ;                                 ?",
            "locations;        SENDER;   GET;    LOC1;                ;                                 LOCATION:LOC1",
            "locations;        SENDER;   GET;    '';                  ;                                 ?",
            "sessions;         SENDER;   PUT;    1234/charging_preferences; ;                           SESSION_CPO:1234",
            "sessions;         RECEIVER; PUT;    BE/BEC/1234;         ;                                 SESSION_EMSP:1234",
            "sessions;         RECEIVER; PUT;    BE/BEC/1234; '{\"cdr_token\":{\"country_code\":\"NL\",\"party_id\":\"TST\"}}'; NL/TST",
            "cdrs;             RECEIVER; POST;   '';   '{\"cdr_token\":{\"country_code\":\"DE\",\"party_id\":\"TNM\"}}'; DE/TNM",
            "cdrs;             RECEIVER; POST;   '';   '{}';                                            ?cannot route the CDR",
            "chargingprofiles; RECEIVER; GET;    1234;                ;                                 SESSION_CPO:1234",
            "commands;         RECEIVER; POST;   STOP_SESSION;        '{\"session_id\":\"S1\"}';        SESSION_CPO:S1",
            "commands;         RECEIVER; POST;   CANCEL_RESERVATION;  '{\"reservation_id\":\"R1\"}';    RESERVATION:R1",
            "commands;         RECEIVER; POST;   START_SESSION;       '{\"location_id\":\"LOC1\"}';     LOCATION:LOC1",
            "commands;         RECEIVER; POST;   UNLOCK_CONNECTOR;    '{}';                             ?cannot route command UNLOCK_CONNECTOR",
            "tariffs;          SENDER;   GET;    BE/BEC/12;           ;                                 ?",
    })
    void openRouting(String module, InterfaceRole role, String method, String path, String body, String expected) {
        OwnerHint hint = profile(module).openRouting().find(request(role, method, path, body));
        if (expected.startsWith("?")) {
            assertThat(hint).isInstanceOf(OwnerHint.Unknown.class);
            String reason = ((OwnerHint.Unknown) hint).reason();
            if (expected.length() > 1) {
                assertThat(reason).startsWith(expected.substring(1));
            } else {
                assertThat(reason).isNull();
            }
        } else if (expected.contains(":")) {
            String[] kindAndId = expected.split(":");
            assertThat(hint).isInstanceOfSatisfying(OwnerHint.Indexed.class, indexed -> {
                assertThat(indexed.kind()).isEqualTo(OwnerKind.valueOf(kindAndId[0]));
                assertThat(indexed.id()).isEqualTo(kindAndId[1]);
            });
        } else {
            String[] party = expected.split("/");
            assertThat(hint).isEqualTo(new OwnerHint.Named(PartyId.of(party[0], party[1])));
        }
    }

    /** A session or CDR open-routed by its cdr_token: the spec's example bodies name their eMSP. */
    @ParameterizedTest
    @CsvSource({"sessions, session_example_1_simple_start.json, NL/TST", "cdrs, cdr_example.json, DE/TNM"})
    void specExamplesAreOpenRoutedToTheirTokensOwner(String module, String example, String owner) {
        ObjectNode body = StrictJson.readObject(SpecExamples.read(example).getBytes());
        String path = module.equals("sessions") ? "NL/STK/101" : "";
        OwnerHint hint = profile(module).openRouting().find(new ModuleRequest(InterfaceRole.RECEIVER,
                module.equals("sessions") ? "PUT" : "POST", segments(path), body));
        assertThat(hint).isEqualTo(new OwnerHint.Named(PartyId.of(owner.split("/")[0], owner.split("/")[1])));
    }

    /** D6: what a routed request teaches the owner indexes. */
    @ParameterizedTest(name = "{0} {1} {2} /{3}")
    @CsvSource(delimiter = ';', value = {
            "tokens;    RECEIVER; PUT;   NL/TNM/012345678; ;  TOKEN:012345678:SENDER",
            "tokens;    RECEIVER; PATCH; NL/TNM/012345678; ;  TOKEN:012345678:SENDER",
            "locations; RECEIVER; PUT;   NL/TNM/1012/3256; ;  LOCATION:1012:SENDER",
            "sessions;  RECEIVER; PATCH; NL/TNM/101;       ;  SESSION_CPO:101:SENDER SESSION_EMSP:101:RECEIVER",
            "tariffs;   RECEIVER; PUT;   NL/TNM/12;        ;  ''",
            "tokens;    RECEIVER; GET;   NL/TNM/012345678; ;  ''",
            "tokens;    SENDER;   POST;  012345678/authorize; ; ''",
            "commands;  RECEIVER; POST;  RESERVE_NOW; '{\"reservation_id\":\"R1\"}'; RESERVATION:R1:RECEIVER",
            "commands;  RECEIVER; POST;  START_SESSION; '{\"reservation_id\":\"R1\"}'; ''",
            "commands;  RECEIVER; POST;  RESERVE_NOW; '{}'; ''",
    })
    void learning(String module, InterfaceRole role, String method, String path, String body, String expected) {
        List<String> learned = profile(module).learn(request(role, method, path, body)).stream()
                .map(l -> l.kind() + ":" + l.id() + ":" + l.owner()).toList();
        assertThat(learned).containsExactly(expected.isEmpty() ? new String[0] : expected.split(" "));
    }

    /** D5: response_url in the body of commands and SetChargingProfile, in the query of GET/DELETE profiles. */
    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource({
            "commands,         RECEIVER, POST,   BODY,  COMMAND,          true",
            "commands,         RECEIVER, GET,    ,      ,                 false",
            "commands,         SENDER,   POST,   ,      ,                 false",
            "chargingprofiles, RECEIVER, PUT,    BODY,  CHARGING_PROFILE, false",
            "chargingprofiles, RECEIVER, GET,    QUERY, CHARGING_PROFILE, false",
            "chargingprofiles, RECEIVER, DELETE, QUERY, CHARGING_PROFILE, false",
            "chargingprofiles, SENDER,   POST,   ,      ,                 false",
            "sessions,         RECEIVER, PUT,    ,      ,                 false",
    })
    void callbacks(String module, InterfaceRole role, String method, Place place, RelayKind kind, boolean watched) {
        var callback = profile(module).callback(role, method);
        if (place == null) {
            assertThat(callback).isEmpty();
            return;
        }
        assertThat(callback).hasValueSatisfying(c -> {
            assertThat(c.place()).isEqualTo(place);
            assertThat(c.field()).isEqualTo("response_url");
            assertThat(c.kind()).isEqualTo(kind);
            assertThat(c.watchAnswer()).isEqualTo(watched);
        });
    }

    /** A callback relay is routed as its own module's SENDER call, where the results are POSTed. */
    @Test
    void callbackRelaysLandOnTheirModulesSenderInterface() {
        for (ModuleProfile profile : ModuleProfile.allRouted()) {
            for (Callback callback : profile.callbacks()) {
                assertThat(callback.kind().module()).isEqualTo(profile.id());
                assertThat(callback.kind().interfaceRole()).isEqualTo(InterfaceRole.SENDER);
                assertThat(callback.kind().method()).isEqualTo("POST");
            }
        }
        assertThat(ModuleProfile.of(ModuleId.CDRS).answerRelay()).isEqualTo(RelayKind.CDR_LOCATION);
        assertThat(RelayKind.CDR_LOCATION.module()).isEqualTo(ModuleId.CDRS);
    }

    /** Owners named in bodies outside object URLs: a CDR POST, the Token of START_SESSION and RESERVE_NOW. */
    @ParameterizedTest(name = "{0} {1} {2} /{3}")
    @CsvSource(delimiter = ';', value = {
            "cdrs;     RECEIVER; POST; '';             ''",
            "cdrs;     RECEIVER; POST; x;              -",
            "cdrs;     SENDER;   POST; '';             -",
            "commands; RECEIVER; POST; START_SESSION;  token.",
            "commands; RECEIVER; POST; reserve_now;    token.",
            "commands; RECEIVER; POST; STOP_SESSION;   -",
            "tokens;   RECEIVER; POST; '';             -",
    })
    void bodyOwners(String module, InterfaceRole role, String method, String path, String prefix) {
        List<BodyOwner> owners = profile(module).bodyOwnersOf(request(role, method, path, null));
        if (prefix.equals("-")) {
            assertThat(owners).isEmpty();
        } else {
            assertThat(owners).singleElement().satisfies(o -> assertThat(o.prefix()).isEqualTo(prefix));
        }
    }

    /** Which pushes carry a body a check must read whatever the routing case (else an empty one is forwarded). */
    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource({
            "locations,        RECEIVER, PUT,   true",
            "locations,        RECEIVER, PATCH, true",
            "locations,        RECEIVER, POST,  false",
            "tokens,           SENDER,   POST,  false",   // an authorize without LocationReferences
            "sessions,         SENDER,   PUT,   false",
            "cdrs,             RECEIVER, POST,  true",
            "cdrs,             SENDER,   POST,  false",
            "commands,         RECEIVER, POST,  true",
            "commands,         SENDER,   POST,  true",    // a module with callbacks: every push
            "chargingprofiles, SENDER,   PUT,   true",
    })
    void needsBody(String module, InterfaceRole role, String method, boolean needed) {
        assertThat(profile(module).needsBody(role, method)).isEqualTo(needed);
    }

    private static ModuleProfile profile(String module) {
        return ModuleProfile.of(ModuleId.fromId(module.trim()).orElseThrow());
    }

    private static ModuleRequest request(InterfaceRole role, String method, String path, String body) {
        return new ModuleRequest(role, method, segments(path),
                body == null ? null : StrictJson.readObject(body.getBytes()));
    }

    private static List<String> segments(String path) {
        return path == null || path.isEmpty() ? List.of() : List.of(path.split("/"));
    }

    private static Path specDir() {
        Path dir = Path.of("").toAbsolutePath();
        for (int i = 0; i < 4 && dir != null; i++, dir = dir.getParent()) {
            Path candidate = dir.resolve("../shared/ocpi-2.2.1").normalize();
            if (Files.isRegularFile(candidate.resolve("mod_locations.asciidoc"))) {
                return candidate;
            }
        }
        assumeTrue(false, "SKIPPED: the OCPI 2.2.1 spec text was not found in ../shared/ocpi-2.2.1");
        return null;
    }
}
