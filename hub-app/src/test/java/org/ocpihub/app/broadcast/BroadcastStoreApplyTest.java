package org.ocpihub.app.broadcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ocpihub.app.broadcast.StoreFixtures.at;
import static org.ocpihub.app.broadcast.StoreFixtures.encoded;
import static org.ocpihub.app.broadcast.StoreFixtures.record;
import static org.ocpihub.app.support.RoutingParties.WAIT;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ocpihub.app.support.RoutingParties;
import org.ocpihub.app.support.RunningHub;
import org.ocpihub.broadcast.log.BroadcastRecord;
import org.ocpihub.ocpi.version.ModuleId;
import org.ocpihub.testkit.party.OcpiSamples;
import org.ocpihub.testkit.party.PartyRole;
import org.ocpihub.testkit.party.SimulatedPlatform;

import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;

/**
 * The hub's store applies each broadcast as a receiver would (D8, LOC 8.2.2): seen end to end, the pushes go in
 * through the app's {@code BroadcastStore} bean and the result comes out of GET All via the hub over real HTTP.
 */
class BroadcastStoreApplyTest {

    /** Ids unique to this run, so that a kept database from an earlier run never holds them. */
    private static final String RUN = Long.toString(System.currentTimeMillis(), 36).toUpperCase();

    private static final RunningHub hub = RunningHub.shared();
    private static RoutingParties parties;
    private static Instant start;
    private static String window;

    @BeforeAll
    static void registerParties() {
        parties = RoutingParties.register(hub);
        start = StoreFixtures.reserveHour();
        window = "date_from=" + encoded(start) + "&date_to=" + encoded(start.plus(Duration.ofHours(1)));
    }

    @AfterAll
    static void closeParties() {
        parties.close();
    }

    /** The object with this id as {@code requester} gets it from GET All via the hub (this test's window), or null. */
    private static JsonNode find(SimulatedPlatform platform, PartyRole requester, String module, String id) {
        for (JsonNode object : StoreFixtures.walk(platform, requester, parties.hub(module + ":SENDER") + "?"
                + window).objects()) {
            String objectId = object.has("uid") ? object.get("uid").asString() : object.get("id").asString();
            if (objectId.equalsIgnoreCase(id)) {
                return object;
            }
        }
        return null;
    }

    private static JsonNode location(String id) {
        return find(parties.emsp, parties.emspRole, "locations", id);
    }

    private static JsonNode evse(JsonNode location, String uid) {
        for (JsonNode evse : location.get("evses")) {
            if (evse.get("uid").asString().equals(uid)) {
                return evse;
            }
        }
        throw new AssertionError("no EVSE " + uid + " in " + location);
    }

    private static void locationPush(String method, String path, String body) {
        StoreFixtures.apply(record(ModuleId.LOCATIONS, method, parties.cpoRole, path, body));
    }

    @Test
    void evseAndConnectorPushesChangeTheirPartAndMoveTheParentsLastUpdatedAsLocAsks() {
        String id = "LOC-E-" + RUN;
        JsonNode original = OcpiSamples.location(parties.cpoRole, id, at(start, 10));
        locationPush("PUT", "/" + id, original.toString());

        // EVSE PATCH: the EVSE changes, the location takes the EVSE's new last_updated (LOC 8.2.2.3)
        locationPush("PATCH", "/" + id + "/" + id + "-1",
                "{\"status\":\"CHARGING\",\"last_updated\":\"" + at(start, 20) + "\"}");
        JsonNode afterPatch = location(id);
        assertThat(evse(afterPatch, id + "-1").get("status").asString()).isEqualTo("CHARGING");
        assertThat(evse(afterPatch, id + "-1").get("last_updated").asString()).isEqualTo(at(start, 20).toString());
        assertThat(evse(afterPatch, id + "-1").get("evse_id")).isEqualTo(evse(original, id + "-1").get("evse_id"));
        assertThat(evse(afterPatch, id + "-2")).isEqualTo(evse(original, id + "-2"));
        assertThat(afterPatch.get("last_updated").asString()).isEqualTo(at(start, 20).toString());
        assertThat(afterPatch.get("name")).isEqualTo(original.get("name"));

        // EVSE PUT of a new uid: added; the location takes its last_updated (LOC 8.2.2.2)
        locationPush("PUT", "/" + id + "/" + id + "-3", "{\"uid\":\"" + id + "-3\",\"status\":\"AVAILABLE\","
                + "\"connectors\":[{\"id\":\"1\",\"standard\":\"CHADEMO\",\"format\":\"CABLE\",\"power_type\":\"DC\","
                + "\"max_voltage\":500,\"max_amperage\":125,\"last_updated\":\"" + at(start, 30) + "\"}],"
                + "\"last_updated\":\"" + at(start, 30) + "\"}");
        // EVSE PUT of a known uid: replaced whole (no capabilities any more)
        locationPush("PUT", "/" + id + "/" + id + "-2", "{\"uid\":\"" + id + "-2\",\"status\":\"BLOCKED\","
                + "\"connectors\":[],\"last_updated\":\"" + at(start, 40) + "\"}");
        JsonNode afterPuts = location(id);
        assertThat(afterPuts.get("evses")).hasSize(3);
        assertThat(evse(afterPuts, id + "-3").get("connectors").get(0).get("standard").asString())
                .isEqualTo("CHADEMO");
        assertThat(evse(afterPuts, id + "-2").has("capabilities")).isFalse();
        assertThat(evse(afterPuts, id + "-2").get("status").asString()).isEqualTo("BLOCKED");
        assertThat(evse(afterPuts, id + "-1").get("status").asString()).isEqualTo("CHARGING");
        assertThat(afterPuts.get("last_updated").asString()).isEqualTo(at(start, 40).toString());

        // connector PATCH: the connector changes, its EVSE and the location take its last_updated
        locationPush("PATCH", "/" + id + "/" + id + "-1/1",
                "{\"max_electric_power\":22000,\"last_updated\":\"" + at(start, 50) + "\"}");
        JsonNode afterConnector = location(id);
        JsonNode connector = evse(afterConnector, id + "-1").get("connectors").get(0);
        assertThat(connector.get("max_electric_power").asInt()).isEqualTo(22000);
        assertThat(connector.get("standard").asString()).isEqualTo("IEC_62196_T2");
        assertThat(connector.get("last_updated").asString()).isEqualTo(at(start, 50).toString());
        assertThat(evse(afterConnector, id + "-1").get("last_updated").asString()).isEqualTo(at(start, 50).toString());
        assertThat(evse(afterConnector, id + "-3").get("last_updated").asString()).isEqualTo(at(start, 30).toString());
        assertThat(afterConnector.get("last_updated").asString()).isEqualTo(at(start, 50).toString());

        // and GET All pages on that last_updated: a member catching up from then on gets the location
        StoreFixtures.Walk since = StoreFixtures.walk(parties.emsp, parties.emspRole, parties.hub("locations:SENDER")
                + "?date_from=" + encoded(at(start, 50)) + "&date_to=" + encoded(at(start, 51)));
        assertThat(since.objects()).extracting(o -> o.get("id").asString()).contains(id);
    }

    @Test
    void aPatchForAnObjectNeverSeenIsStoredAsReceived() {
        String id = "LOC-NEW-" + RUN;
        locationPush("PATCH", "/" + id, "{\"name\":\"only a name\",\"last_updated\":\"" + at(start, 100) + "\"}");
        String evseOnly = "LOC-NEW-EVSE-" + RUN;
        locationPush("PATCH", "/" + evseOnly + "/E1", "{\"status\":\"CHARGING\",\"last_updated\":\""
                + at(start, 101) + "\"}");

        JsonNode stored = location(id);
        assertThat(stored).isNotNull();
        assertThat(stored.get("name").asString()).isEqualTo("only a name");
        assertThat(stored.get("last_updated").asString()).isEqualTo(at(start, 100).toString());
        // identity from the URL, so that the owner can be told; nothing else added
        assertThat(stored.get("country_code").asString()).isEqualTo(parties.cpoRole.countryCode());
        assertThat(stored.get("party_id").asString()).isEqualTo(parties.cpoRole.partyId());
        assertThat(stored.get("id").asString()).isEqualTo(id);
        assertThat(stored.properties()).hasSize(5);

        JsonNode withEvse = location(evseOnly);
        assertThat(withEvse.get("evses")).hasSize(1);
        assertThat(withEvse.get("evses").get(0).get("uid").asString()).isEqualTo("E1");
        assertThat(withEvse.get("evses").get(0).get("status").asString()).isEqualTo("CHARGING");
        assertThat(withEvse.get("last_updated").asString()).isEqualTo(at(start, 101).toString());
    }

    @Test
    void aDeletedTariffIsNoLongerListedAndALaterPutRevivesIt() {
        String id = "TARIFF-D-" + RUN;
        JsonNode tariff = OcpiSamples.tariff(parties.cpoRole, id, at(start, 200));
        StoreFixtures.apply(record(ModuleId.TARIFFS, "PUT", parties.cpoRole, "/" + id, tariff));
        assertThat(find(parties.emsp, parties.emspRole, "tariffs", id)).isEqualTo(tariff);

        StoreFixtures.apply(record(ModuleId.TARIFFS, "DELETE", parties.cpoRole, "/" + id, (String) null));
        assertThat(find(parties.emsp, parties.emspRole, "tariffs", id)).isNull();
        assertThat(find(parties.cpo, parties.cpoRole, "tariffs", id)).as("not even for its owner").isNull();

        JsonNode again = OcpiSamples.tariff(parties.cpoRole, id, at(start, 210));
        StoreFixtures.apply(record(ModuleId.TARIFFS, "PUT", parties.cpoRole, "/" + id, again));
        assertThat(find(parties.emsp, parties.emspRole, "tariffs", id)).isEqualTo(again);
    }

    @Test
    void aTokenPatchMergesIntoTheTokenWhateverTheUidsCase() {
        String uid = "TOK-" + RUN;
        JsonNode token = OcpiSamples.token(parties.emspRole, uid, at(start, 300));
        StoreFixtures.apply(record(ModuleId.TOKENS, "PUT", parties.emspRole, "/" + uid, token));
        StoreFixtures.apply(record(ModuleId.TOKENS, "PATCH", parties.emspRole, "/" + uid.toLowerCase(),
                "{\"valid\":false,\"last_updated\":\"" + at(start, 310) + "\"}"));

        JsonNode stored = find(parties.cpo, parties.cpoRole, "tokens", uid);
        assertThat(stored.get("valid").asBoolean()).isFalse();
        assertThat(stored.get("last_updated").asString()).isEqualTo(at(start, 310).toString());
        assertThat(stored.get("uid").asString()).isEqualTo(uid);
        assertThat(stored.get("contract_id")).isEqualTo(token.get("contract_id"));
        assertThat(stored.properties()).hasSize(token.properties().size());
    }

    @Test
    void concurrentReadModifyWritesOfOneLocationLoseNothing() {
        String id = "LOC-C-" + RUN;
        locationPush("PUT", "/" + id, OcpiSamples.location(parties.cpoRole, id, at(start, 400)).toString());
        List<BroadcastRecord> evses = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String uid = String.format("%s-X%02d", id, i);
            evses.add(record(ModuleId.LOCATIONS, "PUT", parties.cpoRole, "/" + id + "/" + uid,
                    "{\"uid\":\"" + uid + "\",\"status\":\"AVAILABLE\",\"connectors\":[],\"last_updated\":\""
                            + at(start, 401 + i) + "\"}"));
        }

        // the fan-out never applies one object's pushes at once; several instances could, and the row lock holds
        Flux.fromIterable(evses).flatMap(StoreFixtures.store()::apply, 16).then().block(WAIT);

        JsonNode stored = location(id);
        assertThat(stored.get("evses")).hasSize(42);
        assertThat(stored.get("last_updated").asString()).isEqualTo(at(start, 440).toString());
    }

    @Test
    void aBodyThatIsNoObjectIsSkippedWithoutAnError() {
        String id = "LOC-BAD-" + RUN;
        StoreFixtures.store().apply(record(ModuleId.LOCATIONS, "PUT", parties.cpoRole, "/" + id, "[1,2,3]"))
                .block(WAIT);

        assertThat(location(id)).isNull();
    }
}
