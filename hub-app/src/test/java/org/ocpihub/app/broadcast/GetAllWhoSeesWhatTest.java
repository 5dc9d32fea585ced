package org.ocpihub.app.broadcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ocpihub.app.broadcast.StoreFixtures.at;
import static org.ocpihub.app.broadcast.StoreFixtures.encoded;
import static org.ocpihub.app.broadcast.StoreFixtures.record;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ocpihub.app.support.Parties;
import org.ocpihub.app.support.RoutingParties;
import org.ocpihub.app.support.RunningHub;
import org.ocpihub.ocpi.version.ModuleId;
import org.ocpihub.testkit.party.OcpiSamples;
import org.ocpihub.testkit.party.PartyRole;
import org.ocpihub.testkit.party.SimulatedPlatform;
import org.ocpihub.testkit.party.SimulatedResponse;

import tools.jackson.databind.JsonNode;

/**
 * GET All via the hub shows each member only what it may see: CPO data (locations, tariffs) to eMSPs and the owner,
 * eMSP data (tokens) to CPOs and the owner; and refuses what it cannot answer with status 2001 naming the problem.
 */
class GetAllWhoSeesWhatTest {

    private static final RunningHub hub = RunningHub.shared();
    private static RoutingParties parties;
    private static PartyRole otherEmsp;
    private static PartyRole otherCpo;
    private static Instant start;
    private static String window;

    @BeforeAll
    static void storeObjectsOfSeveralOwners() {
        parties = RoutingParties.register(hub);
        otherEmsp = Parties.emsp();
        otherCpo = Parties.cpo();
        start = StoreFixtures.reserveHour();
        window = "date_from=" + encoded(start) + "&date_to=" + encoded(start.plus(Duration.ofHours(1)));
        int t = 0;
        for (int i = 0; i < 3; i++) {
            StoreFixtures.apply(record(ModuleId.TOKENS, "PUT", parties.emspRole, "/OWN-TOKEN-" + i,
                    OcpiSamples.token(parties.emspRole, "OWN-TOKEN-" + i, at(start, t++))));
        }
        for (int i = 0; i < 4; i++) {
            StoreFixtures.apply(record(ModuleId.TOKENS, "PUT", otherEmsp, "/OTHER-TOKEN-" + i,
                    OcpiSamples.token(otherEmsp, "OTHER-TOKEN-" + i, at(start, t++))));
        }
        for (PartyRole cpo : List.of(parties.cpoRole, otherCpo)) {
            int count = cpo == otherCpo ? 3 : 2;
            for (int i = 0; i < count; i++) {
                StoreFixtures.apply(record(ModuleId.LOCATIONS, "PUT", cpo, "/LOC-" + i,
                        OcpiSamples.location(cpo, "LOC-" + i, at(start, t++))));
            }
            for (int i = 0; i < 2; i++) {
                StoreFixtures.apply(record(ModuleId.TARIFFS, "PUT", cpo, "/TARIFF-" + i,
                        OcpiSamples.tariff(cpo, "TARIFF-" + i, at(start, t++))));
            }
        }
    }

    @AfterAll
    static void closeParties() {
        parties.close();
    }

    private static StoreFixtures.Walk walk(SimulatedPlatform platform, PartyRole requester, String module) {
        return StoreFixtures.walk(platform, requester, parties.hub(module + ":SENDER") + "?" + window);
    }

    private static List<String> owners(StoreFixtures.Walk walk) {
        return walk.objects().stream()
                .map(o -> o.get("country_code").asString() + "/" + o.get("party_id").asString())
                .distinct().toList();
    }

    private static String owner(PartyRole role) {
        return role.countryCode() + "/" + role.partyId();
    }

    @Test
    void aCpoAskingForTokensSeesTheTokensOfEveryEmsp() {
        StoreFixtures.Walk walk = walk(parties.cpo, parties.cpoRole, "tokens");

        assertThat(walk.objects()).hasSize(7);
        assertThat(walk.pages().get(0).header("X-Total-Count")).isEqualTo("7");
        assertThat(owners(walk)).containsExactlyInAnyOrder(owner(parties.emspRole), owner(otherEmsp));
        assertThat(walk.objects().get(0).get("uid").asString()).isEqualTo("OWN-TOKEN-0");
    }

    @Test
    void anEmspAskingForTokensSeesOnlyItsOwn() {
        StoreFixtures.Walk walk = walk(parties.emsp, parties.emspRole, "tokens");

        assertThat(walk.objects()).extracting(o -> o.get("uid").asString())
                .containsExactly("OWN-TOKEN-0", "OWN-TOKEN-1", "OWN-TOKEN-2");
        assertThat(walk.pages().get(0).header("X-Total-Count")).isEqualTo("3");

        StoreFixtures.Walk unfiltered = StoreFixtures.walk(parties.emsp, parties.emspRole,
                parties.hub("tokens:SENDER"));
        assertThat(owners(unfiltered)).containsExactly(owner(parties.emspRole));
    }

    @Test
    void anEmspSeesTheLocationsAndTariffsOfEveryCpo() {
        StoreFixtures.Walk locations = walk(parties.emsp, parties.emspRole, "locations");
        StoreFixtures.Walk tariffs = walk(parties.emsp, parties.emspRole, "tariffs");

        assertThat(locations.objects()).hasSize(5);
        assertThat(owners(locations)).containsExactlyInAnyOrder(owner(parties.cpoRole), owner(otherCpo));
        assertThat(tariffs.objects()).hasSize(4);
        assertThat(tariffs.pages().get(0).header("X-Total-Count")).isEqualTo("4");
        assertThat(owners(tariffs)).containsExactlyInAnyOrder(owner(parties.cpoRole), owner(otherCpo));
    }

    @Test
    void aCpoSeesOnlyItsOwnLocationsAndTariffs() {
        StoreFixtures.Walk locations = walk(parties.cpo, parties.cpoRole, "locations");
        StoreFixtures.Walk tariffs = walk(parties.cpo, parties.cpoRole, "tariffs");

        assertThat(locations.objects()).extracting(o -> o.get("id").asString()).containsExactly("LOC-0", "LOC-1");
        assertThat(locations.pages().get(0).header("X-Total-Count")).isEqualTo("2");
        assertThat(owners(locations)).containsExactly(owner(parties.cpoRole));
        assertThat(tariffs.objects()).extracting(o -> o.get("id").asString())
                .containsExactly("TARIFF-0", "TARIFF-1");
    }

    @Test
    void badPaginationValuesAreRefusedNamingTheParameter() {
        for (String[] bad : new String[][] {{"offset=-1", "offset"}, {"offset=ten", "offset"}, {"limit=0", "limit"},
                {"limit=many", "limit"}, {"date_from=yesterday", "date_from"},
                {"date_to=2024-02-30T00:00:00Z", "date_to"}}) {
            SimulatedResponse answer = StoreFixtures.getAll(parties.emsp, parties.emspRole,
                    parties.hub("locations:SENDER") + "?" + bad[0]);

            assertThat(answer.httpStatus()).as(bad[0]).isEqualTo(200);
            assertThat(answer.statusCode()).as(bad[0]).isEqualTo(2001);
            assertThat(answer.statusMessage()).as(bad[0]).contains(bad[1]);
            assertThat(answer.header("OCPI-from-party-id")).isEqualTo("HUB");
            assertThat(answer.header("OCPI-to-party-id")).isEqualTo(parties.emspRole.partyId());
        }
    }

    @Test
    void oneObjectIsNotAskedOfTheHub() {
        SimulatedResponse answer = StoreFixtures.getAll(parties.emsp, parties.emspRole,
                parties.hub("locations:SENDER") + "/LOC-0");

        assertThat(answer.httpStatus()).isEqualTo(200);
        assertThat(answer.statusCode()).isEqualTo(2001);
        assertThat(answer.statusMessage()).contains("OCPI-to");
    }

    @Test
    void anOffsetPastTheEndIsAnEmptyLastPage() {
        SimulatedResponse answer = StoreFixtures.getAll(parties.emsp, parties.emspRole,
                parties.hub("tariffs:SENDER") + "?" + window + "&offset=500");

        assertThat(answer.isSuccess()).isTrue();
        assertThat(answer.data().isArray()).isTrue();
        assertThat(answer.data().size()).isZero();
        assertThat(answer.header("X-Total-Count")).isEqualTo("4");
        assertThat(answer.header("Link")).isNull();
        JsonNode body = answer.body();
        assertThat(body.get("timestamp").asString()).endsWith("Z");
    }
}
