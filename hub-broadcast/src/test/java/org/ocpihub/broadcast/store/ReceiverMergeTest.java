package org.ocpihub.broadcast.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.ocpihub.broadcast.log.BroadcastRecord;
import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.ocpi.party.Role;
import org.ocpihub.ocpi.version.ModuleId;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** A receiver's PUT and PATCH rules (LOC 8.2.2, TAR 11.2.2, TOK 12.2.2) on the spec's own example objects. */
class ReceiverMergeTest {

    private static final PartyId BEC = PartyId.of("BE", "BEC");
    private static final String EXAMPLE_PATCH_TIME = "2019-06-24T12:39:09Z";

    private static PushTarget location(String... path) {
        return new PushTarget(ModuleId.LOCATIONS, BEC, path[0], path.length > 1 ? path[1] : null,
                path.length > 2 ? path[2] : null);
    }

    private static JsonNode evse(JsonNode location, String uid) {
        for (JsonNode evse : location.get("evses")) {
            if (evse.get("uid").asString().equals(uid)) {
                return evse;
            }
        }
        throw new AssertionError("no EVSE " + uid + " in " + location);
    }

    private static JsonNode connector(JsonNode evse, String id) {
        for (JsonNode connector : evse.get("connectors")) {
            if (connector.get("id").asString().equals(id)) {
                return connector;
            }
        }
        throw new AssertionError("no connector " + id + " in " + evse);
    }

    @Test
    void aWholeLocationPutReplacesWhatWasStored() {
        ObjectNode stored = SpecExamples.object("location_example.json");
        ObjectNode pushed = stored.deepCopy();
        pushed.put("name", "Gent Zuid 2");
        pushed.remove("operator");

        ObjectNode result = ReceiverMerge.put(stored, location("LOC1"), pushed);

        assertThat(result).isEqualTo(pushed);
        assertThat(result.has("operator")).isFalse();
    }

    @Test
    void aLocationPatchChangesOnlyTheGivenFields() {
        ObjectNode stored = SpecExamples.object("location_example.json");
        ObjectNode patch = SpecExamples.object("location_patch_example_location.json");

        ObjectNode result = ReceiverMerge.patch(stored, location("LOC1"), patch);

        assertThat(result.get("name").asString()).isEqualTo("Interparking Gent Zuid");
        assertThat(result.get("last_updated").asString()).isEqualTo(EXAMPLE_PATCH_TIME);
        ObjectNode expected = stored.deepCopy();
        expected.put("name", "Interparking Gent Zuid").put("last_updated", EXAMPLE_PATCH_TIME);
        assertThat(result).isEqualTo(expected);
        assertThat(stored.get("name").asString()).as("inputs are not modified").isEqualTo("Gent Zuid");
    }

    @Test
    void anEvseStatusPatchChangesTheEvseAndSetsTheLocationsLastUpdated() {
        ObjectNode stored = SpecExamples.object("location_example.json");
        ObjectNode patch = SpecExamples.object("location_patch_example_status.json");

        ObjectNode result = ReceiverMerge.patch(stored, location("LOC1", "3257"), patch);

        JsonNode evse = evse(result, "3257");
        assertThat(evse.get("status").asString()).isEqualTo("CHARGING");
        assertThat(evse.get("last_updated").asString()).isEqualTo(EXAMPLE_PATCH_TIME);
        assertThat(evse.get("evse_id").asString()).isEqualTo("BE*BEC*E041503002");
        assertThat(evse.get("connectors")).isEqualTo(evse(stored, "3257").get("connectors"));
        assertThat(evse(result, "3256")).isEqualTo(evse(stored, "3256"));
        assertThat(result.get("last_updated").asString()).isEqualTo(EXAMPLE_PATCH_TIME);
        assertThat(result.get("name")).isEqualTo(stored.get("name"));
    }

    @Test
    void anEvseRemovedPatchIsKeptAsAStatus() {
        ObjectNode stored = SpecExamples.object("location_example.json");
        ObjectNode patch = SpecExamples.object("location_patch_example_remove_evse.json");

        ObjectNode result = ReceiverMerge.patch(stored, location("LOC1", "3256"), patch);

        assertThat(evse(result, "3256").get("status").asString()).isEqualTo("REMOVED");
        assertThat(result.get("evses")).hasSize(2);
        assertThat(result.get("last_updated").asString()).isEqualTo(EXAMPLE_PATCH_TIME);
    }

    @Test
    void aConnectorPatchSetsTheEvsesAndTheLocationsLastUpdatedAndKeepsItsOwnAsSent() {
        ObjectNode stored = SpecExamples.object("location_example.json");
        ObjectNode patch = SpecExamples.object("location_patch_example_tariff.json");

        ObjectNode result = ReceiverMerge.patch(stored, location("LOC1", "3256", "2"), patch);

        JsonNode evse = evse(result, "3256");
        JsonNode connector = connector(evse, "2");
        assertThat(connector.get("tariff_ids")).hasSize(1);
        assertThat(connector.get("tariff_ids").get(0).asString()).isEqualTo("15");
        assertThat(connector.get("standard").asString()).isEqualTo("IEC_62196_T2");
        assertThat(connector.get("last_updated").asString()).isEqualTo(EXAMPLE_PATCH_TIME);
        assertThat(connector(evse, "1")).isEqualTo(connector(evse(stored, "3256"), "1"));
        assertThat(evse.get("last_updated").asString()).isEqualTo(EXAMPLE_PATCH_TIME);
        assertThat(result.get("last_updated").asString()).isEqualTo(EXAMPLE_PATCH_TIME);
        assertThat(evse(result, "3257")).isEqualTo(evse(stored, "3257"));
    }

    @Test
    void anEvsePutReplacesTheEvseWithTheSameUid() {
        ObjectNode stored = SpecExamples.object("location_example.json");
        ObjectNode pushed = SpecExamples.object("location_put_example_add_evse.json");

        ObjectNode result = ReceiverMerge.put(stored, location("LOC1", "3256"), pushed);

        assertThat(result.get("evses")).hasSize(2);
        assertThat(evse(result, "3256")).isEqualTo(pushed);
        assertThat(evse(result, "3257")).isEqualTo(evse(stored, "3257"));
        assertThat(result.get("last_updated").asString()).isEqualTo(EXAMPLE_PATCH_TIME);
    }

    @Test
    void anEvsePutForANewUidAddsTheEvse() {
        ObjectNode stored = SpecExamples.object("location_example.json");
        ((tools.jackson.databind.node.ArrayNode) stored.get("evses")).remove(0); // only 3257 left
        ObjectNode pushed = SpecExamples.object("location_put_example_add_evse.json");

        ObjectNode result = ReceiverMerge.put(stored, location("LOC1", "3256"), pushed);

        assertThat(result.get("evses")).hasSize(2);
        assertThat(result.get("evses").get(1)).isEqualTo(pushed);
        assertThat(result.get("last_updated").asString()).isEqualTo(EXAMPLE_PATCH_TIME);
        assertThat(pushed.get("physical_reference").isNumber()).as("sent as a number, kept as sent").isTrue();
    }

    @Test
    void aConnectorPutReplacesOrAddsTheConnectorAndSetsBothParents() {
        ObjectNode stored = SpecExamples.object("location_example.json");
        ObjectNode connector = ReceiverMerge.parseObject("{\"id\":\"3\",\"standard\":\"CHADEMO\",\"format\":\"CABLE\","
                + "\"power_type\":\"DC\",\"max_voltage\":500,\"max_amperage\":125,\"last_updated\":\"2020-01-01T00:00:00Z\"}");

        ObjectNode added = ReceiverMerge.put(stored, location("LOC1", "3257", "3"), connector);
        ObjectNode replaced = ReceiverMerge.put(added, location("LOC1", "3257", "1"),
                ReceiverMerge.parseObject("{\"id\":\"1\",\"standard\":\"IEC_62196_T2_COMBO\",\"format\":\"CABLE\","
                        + "\"power_type\":\"DC\",\"max_voltage\":400,\"max_amperage\":200,"
                        + "\"last_updated\":\"2020-02-01T00:00:00Z\"}"));

        JsonNode evse = evse(added, "3257");
        assertThat(evse.get("connectors")).hasSize(2);
        assertThat(connector(evse, "3")).isEqualTo(connector);
        assertThat(evse.get("last_updated").asString()).isEqualTo("2020-01-01T00:00:00Z");
        assertThat(added.get("last_updated").asString()).isEqualTo("2020-01-01T00:00:00Z");
        assertThat(evse(added, "3256")).isEqualTo(evse(stored, "3256"));

        JsonNode evseAfter = evse(replaced, "3257");
        assertThat(evseAfter.get("connectors")).hasSize(2);
        assertThat(connector(evseAfter, "1").get("standard").asString()).isEqualTo("IEC_62196_T2_COMBO");
        assertThat(connector(evseAfter, "1").has("tariff_ids")).as("a PUT replaces the connector whole").isFalse();
        assertThat(replaced.get("last_updated").asString()).isEqualTo("2020-02-01T00:00:00Z");
    }

    @Test
    void anOlderChildTimestampDoesNotMoveTheParentBackwards() {
        ObjectNode stored = SpecExamples.object("location_example.json"); // location 2015-06-29T20:39:09Z
        ObjectNode patch = ReceiverMerge.parseObject("{\"status\":\"OUTOFORDER\","
                + "\"last_updated\":\"2015-01-01T00:00:00Z\"}");

        ObjectNode result = ReceiverMerge.patch(stored, location("LOC1", "3256"), patch);

        assertThat(evse(result, "3256").get("last_updated").asString()).isEqualTo("2015-01-01T00:00:00Z");
        assertThat(result.get("last_updated").asString()).isEqualTo("2015-06-29T20:39:09Z");
    }

    @Test
    void aChildWithoutLastUpdatedLeavesTheParentsAlone() {
        ObjectNode stored = SpecExamples.object("location_example.json");
        ObjectNode patch = ReceiverMerge.parseObject("{\"status\":\"BLOCKED\"}");

        ObjectNode result = ReceiverMerge.patch(stored, location("LOC1", "3256"), patch);

        assertThat(evse(result, "3256").get("status").asString()).isEqualTo("BLOCKED");
        assertThat(result.get("last_updated")).isEqualTo(stored.get("last_updated"));
    }

    @Test
    void uidsAndConnectorIdsMatchCaseInsensitively() {
        ObjectNode stored = ReceiverMerge.parseObject("{\"id\":\"L1\",\"evses\":[{\"uid\":\"Evse-A\",\"status\":"
                + "\"AVAILABLE\",\"connectors\":[{\"id\":\"c1\"}]}],\"last_updated\":\"2020-01-01T00:00:00Z\"}");

        ObjectNode result = ReceiverMerge.patch(stored, location("L1", "EVSE-A", "C1"),
                ReceiverMerge.parseObject("{\"max_voltage\":230,\"last_updated\":\"2021-01-01T00:00:00Z\"}"));

        assertThat(result.get("evses")).hasSize(1);
        assertThat(result.get("evses").get(0).get("connectors")).hasSize(1);
        assertThat(result.get("evses").get(0).get("connectors").get(0).get("max_voltage").asInt()).isEqualTo(230);
    }

    @Test
    void aPatchForAnObjectNeverSeenIsStoredAsReceivedWithItsIdentityFromTheUrl() {
        ObjectNode patch = ReceiverMerge.parseObject("{\"name\":\"Only a name\",\"last_updated\":\"2021-01-01T00:00:00Z\"}");

        ObjectNode result = ReceiverMerge.patch(null, location("NEW1"), patch);

        assertThat(result.get("name").asString()).isEqualTo("Only a name");
        assertThat(result.get("country_code").asString()).isEqualTo("BE");
        assertThat(result.get("party_id").asString()).isEqualTo("BEC");
        assertThat(result.get("id").asString()).isEqualTo("NEW1");
        assertThat(result.properties()).hasSize(5);
    }

    @Test
    void anEvsePatchForALocationNeverSeenBecomesALocationHoldingOnlyThatEvse() {
        ObjectNode patch = ReceiverMerge.parseObject("{\"status\":\"CHARGING\",\"last_updated\":\"2021-01-01T00:00:00Z\"}");

        ObjectNode result = ReceiverMerge.patch(null, location("NEW2", "E1"), patch);

        assertThat(result.get("id").asString()).isEqualTo("NEW2");
        assertThat(result.get("evses")).hasSize(1);
        assertThat(result.get("evses").get(0).get("uid").asString()).isEqualTo("E1");
        assertThat(result.get("evses").get(0).get("status").asString()).isEqualTo("CHARGING");
        assertThat(result.get("last_updated").asString()).isEqualTo("2021-01-01T00:00:00Z");
    }

    @Test
    void aConnectorPutForAnEvseNeverSeenAddsAnEvseHoldingIt() {
        ObjectNode stored = ReceiverMerge.parseObject("{\"id\":\"L1\",\"evses\":[],\"last_updated\":\"2020-01-01T00:00:00Z\"}");
        ObjectNode connector = ReceiverMerge.parseObject("{\"id\":\"1\",\"last_updated\":\"2022-01-01T00:00:00Z\"}");

        ObjectNode result = ReceiverMerge.put(stored, location("L1", "E9", "1"), connector);

        JsonNode evse = result.get("evses").get(0);
        assertThat(evse.get("uid").asString()).isEqualTo("E9");
        assertThat(evse.get("connectors").get(0)).isEqualTo(connector);
        assertThat(evse.get("last_updated").asString()).isEqualTo("2022-01-01T00:00:00Z");
        assertThat(result.get("last_updated").asString()).isEqualTo("2022-01-01T00:00:00Z");
    }

    @Test
    void aPatchReplacesListsAndNestedObjectsWhole() {
        ObjectNode stored = SpecExamples.object("location_example.json");
        ObjectNode patch = ReceiverMerge.parseObject("{\"evses\":[{\"uid\":\"X\",\"status\":\"AVAILABLE\"}],"
                + "\"coordinates\":{\"latitude\":\"1.0\"},\"last_updated\":\"2021-01-01T00:00:00Z\"}");

        ObjectNode result = ReceiverMerge.patch(stored, location("LOC1"), patch);

        assertThat(result.get("evses")).hasSize(1);
        assertThat(result.get("coordinates").has("longitude")).isFalse();
    }

    @Test
    void aTokenPatchMergesIntoTheToken() {
        ObjectNode token = SpecExamples.object("token_put_example.json");
        ObjectNode patch = SpecExamples.object("token_patch_example.json");
        PushTarget target = new PushTarget(ModuleId.TOKENS, PartyId.of("NL", "TNM"), "012345678", null, null);

        ObjectNode stored = ReceiverMerge.put(null, target, token);
        ObjectNode result = ReceiverMerge.patch(stored, target, patch);

        assertThat(stored).isEqualTo(token);
        assertThat(result.get("valid").asBoolean()).isFalse();
        assertThat(result.get("last_updated").asString()).isEqualTo("2019-06-19T02:11:11Z");
        assertThat(result.get("contract_id").asString()).isEqualTo("NL8ACC12E46L89");
        assertThat(result.properties()).hasSize(token.properties().size());
    }

    @Test
    void aTariffWithoutLastUpdatedIsStoredAsSentAndHasNoObjectTime() {
        ObjectNode tariff = SpecExamples.object("tariff_put_example.json");
        PushTarget target = new PushTarget(ModuleId.TARIFFS, PartyId.of("DE", "ALL"), "12", null, null);

        ObjectNode stored = ReceiverMerge.put(null, target, tariff);

        assertThat(stored).isEqualTo(tariff);
        assertThat(ReceiverMerge.lastUpdated(stored)).isEmpty();
        assertThat(ReceiverMerge.lastUpdated(SpecExamples.object("location_example.json")))
                .contains(Instant.parse("2015-06-29T20:39:09Z"));
    }

    @Test
    void numbersKeepTheirExactValueAndScale() {
        ObjectNode pushed = ReceiverMerge.parseObject("{\"id\":\"T1\",\"price\":2.000,\"vat\":10.0,"
                + "\"big\":12345678901234567890123,\"tiny\":0.1000000000000000055511151231257827}");

        String written = new String(ReceiverMerge.mapper().writeValueAsBytes(ReceiverMerge.put(null,
                new PushTarget(ModuleId.TARIFFS, BEC, "T1", null, null), pushed)), StandardCharsets.UTF_8);

        assertThat(written).contains("\"price\":2.000", "\"vat\":10.0", "\"big\":12345678901234567890123",
                "\"tiny\":0.1000000000000000055511151231257827");
    }

    @Test
    void onlyJsonObjectsAreBodies() {
        assertThatThrownBy(() -> ReceiverMerge.parseObject("[1,2]")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> ReceiverMerge.parseObject("{\"a\":")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> ReceiverMerge.parseObject(new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPushTargetIsReadFromTheRecordsSuffix() {
        PushTarget connector = PushTarget.of(record(ModuleId.LOCATIONS, "/BE/BEC/Loc%201/3256/2"));
        PushTarget token = PushTarget.of(record(ModuleId.TOKENS, "/BE/BEC/abc+def"));

        assertThat(connector.objectId()).isEqualTo("Loc 1");
        assertThat(connector.key()).isEqualTo("LOC 1");
        assertThat(connector.level()).isEqualTo(PushTarget.Level.CONNECTOR);
        assertThat(connector.evseUid()).isEqualTo("3256");
        assertThat(connector.connectorId()).isEqualTo("2");
        assertThat(token.objectId()).isEqualTo("abc+def");
        assertThat(token.level()).isEqualTo(PushTarget.Level.OBJECT);
        assertThat(token.idField()).isEqualTo("uid");
        assertThatThrownBy(() -> PushTarget.of(record(ModuleId.TOKENS, "/BE/BEC/abc/def")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PushTarget.of(record(ModuleId.LOCATIONS, "/BE/BEC")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static BroadcastRecord record(ModuleId module, String suffix) {
        return new BroadcastRecord("b1", "c1", module, "PUT", BEC, Role.CPO, UUID.randomUUID(), suffix, null,
                new byte[0], Instant.now());
    }
}
