package org.ocpihub.app.broadcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ocpihub.app.support.RoutingParties.WAIT;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ocpihub.app.support.RoutingParties;
import org.ocpihub.app.support.RunningHub;
import org.ocpihub.app.support.SharedPartiesPerClass;
import org.ocpihub.testkit.party.OcpiSamples;
import org.ocpihub.testkit.party.PartyRole;
import org.ocpihub.testkit.party.SimulatedResponse;
import org.springframework.r2dbc.core.DatabaseClient;

import tools.jackson.databind.node.ObjectNode;

/**
 * A push's body speaks for its sender only (issue 7.4), ids are CiStrings (7.9), and content errors are HTTP 200
 * with status 2001 (SC 5): for broadcasts and direct pushes, in every module whose body names an owner. Each refusal
 * is checked for what it must not have done: nothing stored (GET All and the store table), fanned out or forwarded.
 */
class PushOwnershipTest extends SharedPartiesPerClass {

    private static final PartyRole HUB = StoreFixtures.HUB;
    private static Instant hour;
    private static String window;

    @BeforeAll
    static void window() {
        hour = StoreFixtures.reserveHour();
        window = "date_from=" + StoreFixtures.encoded(hour) + "&date_to="
                + StoreFixtures.encoded(hour.plusSeconds(3600));
    }

    private static String owner(PartyRole role) {
        return "/" + role.countryCode() + "/" + role.partyId() + "/";
    }

    private static SimulatedResponse cpoPush(String method, String moduleInterface, String suffix, String body,
                                             PartyRole to) {
        return parties.cpo.call(method, parties.hub(moduleInterface) + suffix, body,
                RoutingParties.route(parties.cpoRole, to)).block(WAIT);
    }

    private static SimulatedResponse emspPush(String method, String moduleInterface, String suffix, String body,
                                              PartyRole to) {
        return parties.emsp.call(method, parties.hub(moduleInterface) + suffix, body,
                RoutingParties.route(parties.emspRole, to)).block(WAIT);
    }

    private static void assertRefused(SimulatedResponse answer, int http, String messagePart) {
        assertThat(answer.httpStatus()).as(answer.rawBody()).isEqualTo(http);
        assertThat(answer.statusCode()).isEqualTo(2001);
        assertThat(answer.statusMessage()).contains(messagePart);
        assertThat(answer.rawBody()).doesNotContain("Exception");
    }

    /** When this JVM's tests began: rows stored before (a kept database) are not this run's. */
    static final Instant SINCE = Instant.now().minusSeconds(5);

    /**
     * Owners of every object of the module whose id is {@code id} in any case, stored (and not deleted) by this run.
     */
    static List<String> storedOwners(String module, String id) {
        return RunningHub.shared().context().getBean(DatabaseClient.class)
                .sql("select country_code || '/' || party_id as owner from broadcast_object where module = :m "
                        + "and upper(object_id) = upper(:id) and not deleted and stored_at >= :since")
                .bind("m", module).bind("id", id).bind("since", SINCE.atOffset(java.time.ZoneOffset.UTC))
                .map(r -> r.get("owner", String.class)).all().collectList().block(WAIT);
    }

    /** A valid broadcast of the CPO, awaited at the eMSP: everything the CPO broadcast before it was fanned out. */
    private static void broadcastMarkerAndAwaitIt(String id) {
        SimulatedResponse marker = cpoPush("PUT", "locations:RECEIVER", owner(parties.cpoRole) + id,
                OcpiSamples.location(parties.cpoRole, id, hour.plusSeconds(1)).toString(), HUB);
        assertThat(marker.statusCode()).isEqualTo(1000);
        parties.emsp.awaitRequest(r -> r.path().endsWith("/" + id), WAIT);
    }

    // ---- issue 7.4: the inputs ----

    @Test
    void aBroadcastPatchNamingAnotherOwnerIs403AndNeitherStoredNorFannedOut() {
        String body = "{\"country_code\":\"BE\",\"party_id\":\"GAM\",\"last_updated\":\""
                + hour.plusSeconds(2) + "\"}";
        SimulatedResponse refused = cpoPush("PATCH", "locations:RECEIVER", owner(parties.cpoRole) + "LOCP", body, HUB);

        assertRefused(refused, 403, "field country_code 'BE' is not the sender's");
        broadcastMarkerAndAwaitIt("OWN-MARK-1");
        assertThat(parties.emsp.received()).noneMatch(r -> r.path().endsWith("/LOCP"));
        assertThat(storedOwners("locations", "LOCP")).isEmpty();
        StoreFixtures.Walk all = StoreFixtures.walk(parties.emsp, parties.emspRole,
                parties.hub("locations:SENDER") + "?" + window);
        assertThat(all.objects()).extracting(StoreFixtures::key)
                .contains(parties.cpoRole.countryCode() + "/" + parties.cpoRole.partyId() + "/OWN-MARK-1")
                .noneMatch(key -> key.endsWith("/LOCP") || key.startsWith("BE/GAM/"));
    }

    @Test
    void aDirectPatchNamingAnotherOwnerIs403AndNotForwarded() {
        SimulatedResponse refused = cpoPush("PATCH", "locations:RECEIVER", owner(parties.cpoRole) + "LOCP-D",
                "{\"country_code\":\"BE\",\"party_id\":\"GAM\"}", parties.emspRole);

        assertRefused(refused, 403, "field country_code 'BE'");
        assertThat(parties.emsp.received()).noneMatch(r -> r.path().endsWith("/LOCP-D"));
    }

    @Test
    void aPatchOfANeverSeenObjectCannotPlantItUnderAnotherOwner() {
        // only the party differs: the check is per field, not per pair
        SimulatedResponse refused = cpoPush("PATCH", "locations:RECEIVER", owner(parties.cpoRole) + "NEVER-SEEN",
                "{\"party_id\":\"GAM\",\"name\":\"fake\"}", HUB);

        assertRefused(refused, 403, "field party_id 'GAM'");
        broadcastMarkerAndAwaitIt("OWN-MARK-2");
        assertThat(storedOwners("locations", "NEVER-SEEN")).isEmpty();
        assertThat(parties.emsp.received()).noneMatch(r -> r.path().endsWith("/NEVER-SEEN"));
    }

    // ---- issue 7.4: siblings, one per module that carries an owner ----

    @Test
    void aTokenPushForAnotherEmspIs403() {
        ObjectNode token = OcpiSamples.token(parties.emspRole, "TOK-SPOOF", hour);
        token.put("party_id", "GAM");
        SimulatedResponse direct = emspPush("PUT", "tokens:RECEIVER", owner(parties.emspRole) + "TOK-SPOOF",
                token.toString(), parties.cpoRole);
        SimulatedResponse broadcast = emspPush("PUT", "tokens:RECEIVER", owner(parties.emspRole) + "TOK-SPOOF",
                token.toString(), HUB);
        SimulatedResponse patch = emspPush("PATCH", "tokens:RECEIVER", owner(parties.emspRole) + "TOK-SPOOF",
                "{\"country_code\":\"BE\",\"valid\":false}", parties.cpoRole);

        assertRefused(direct, 403, "field party_id 'GAM'");
        assertRefused(broadcast, 403, "field party_id 'GAM'");
        assertRefused(patch, 403, "field country_code 'BE'");
        assertThat(parties.cpo.received()).noneMatch(r -> r.path().contains("TOK-SPOOF"));
        assertThat(storedOwners("tokens", "TOK-SPOOF")).isEmpty();
    }

    @Test
    void aTariffBroadcastForAnotherCpoIs403AndNotStored() {
        ObjectNode tariff = OcpiSamples.tariff(parties.cpoRole, "TAR-SPOOF", hour);
        tariff.put("country_code", "BE");
        SimulatedResponse refused = cpoPush("PUT", "tariffs:RECEIVER", owner(parties.cpoRole) + "TAR-SPOOF",
                tariff.toString(), HUB);

        assertRefused(refused, 403, "field country_code 'BE'");
        broadcastMarkerAndAwaitIt("OWN-MARK-3");
        assertThat(storedOwners("tariffs", "TAR-SPOOF")).isEmpty();
        assertThat(parties.emsp.received()).noneMatch(r -> r.path().contains("TAR-SPOOF"));
    }

    @Test
    void sessionPushesMustNameTheSenderAndTheUrlId() {
        ObjectNode session = OcpiSamples.session(parties.cpoRole, "SES-1", parties.emspRole, "T1", hour);
        session.put("party_id", "GAM");
        SimulatedResponse otherOwner = cpoPush("PUT", "sessions:RECEIVER", owner(parties.cpoRole) + "SES-1",
                session.toString(), parties.emspRole);
        SimulatedResponse patchOtherOwner = cpoPush("PATCH", "sessions:RECEIVER", owner(parties.cpoRole) + "SES-1",
                "{\"party_id\":\"GAM\",\"kwh\":6}", parties.emspRole);
        session.put("party_id", parties.cpoRole.partyId());
        session.put("id", "SES-2");
        SimulatedResponse otherId = cpoPush("PUT", "sessions:RECEIVER", owner(parties.cpoRole) + "SES-1",
                session.toString(), parties.emspRole);
        SimulatedResponse patchOtherId = cpoPush("PATCH", "sessions:RECEIVER", owner(parties.cpoRole) + "SES-1",
                "{\"id\":\"SES-2\",\"kwh\":6}", parties.emspRole);

        assertRefused(otherOwner, 403, "field party_id 'GAM'");
        assertRefused(patchOtherOwner, 403, "field party_id 'GAM'");
        // an id differing from the URL's is a content error of an authorized sender (SC 5)
        assertRefused(otherId, 200, "field id 'SES-2' differs from the URL's 'SES-1'");
        assertRefused(patchOtherId, 200, "field id 'SES-2' differs");
        assertThat(parties.emsp.received()).noneMatch(r -> r.path().contains("/SES-1"));
    }

    @Test
    void aCdrPostMustNameTheSender() {
        ObjectNode cdr = OcpiSamples.cdr(parties.cpoRole, "CDR-SPOOF", parties.emspRole, "T1", hour);
        cdr.put("country_code", "BE");
        SimulatedResponse otherOwner = cpoPush("POST", "cdrs:RECEIVER", "", cdr.toString(), parties.emspRole);
        cdr.remove("country_code");
        SimulatedResponse noOwner = cpoPush("POST", "cdrs:RECEIVER", "", cdr.toString(), parties.emspRole);

        assertRefused(otherOwner, 403, "field country_code 'BE'");
        assertRefused(noOwner, 200, "missing required field: country_code");
        assertThat(parties.emsp.received()).noneMatch(r -> r.method().equals("POST") && r.path().contains("/cdrs")
                && r.body() != null && r.body().contains("CDR-SPOOF"));
    }

    @Test
    void anEvsePatchWithAnotherUidIsRefusedAndNotForwardedNorBroadcast() {
        String suffix = owner(parties.cpoRole) + "LOC-EVSE/EVSE-1";
        SimulatedResponse direct = cpoPush("PATCH", "locations:RECEIVER", suffix,
                "{\"uid\":\"EVSE-2\",\"status\":\"CHARGING\"}", parties.emspRole);
        SimulatedResponse broadcast = cpoPush("PATCH", "locations:RECEIVER", suffix,
                "{\"uid\":\"EVSE-2\",\"status\":\"CHARGING\"}", HUB);
        SimulatedResponse connector = cpoPush("PUT", "locations:RECEIVER", suffix + "/1",
                "{\"id\":\"2\",\"standard\":\"IEC_62196_T2\"}", parties.emspRole);
        SimulatedResponse evseOwner = cpoPush("PATCH", "locations:RECEIVER", suffix,
                "{\"party_id\":\"GAM\",\"status\":\"CHARGING\"}", parties.emspRole);

        assertRefused(direct, 200, "field uid 'EVSE-2' differs from the URL's 'EVSE-1'");
        assertRefused(broadcast, 200, "field uid 'EVSE-2' differs");
        assertRefused(connector, 200, "field id '2' differs from the URL's '1'");
        assertRefused(evseOwner, 403, "field party_id 'GAM'");
        broadcastMarkerAndAwaitIt("OWN-MARK-4");
        assertThat(parties.emsp.received()).noneMatch(r -> r.path().contains("/LOC-EVSE"));
        assertThat(storedOwners("locations", "LOC-EVSE")).isEmpty();
    }

    @Test
    void aDuplicateKeyIsRefusedNamingItSoNoReceiverReadsAnotherOwner() {
        String location = OcpiSamples.location(parties.cpoRole, "LOC-DUP", hour).toString();
        // the hub's check would see one value, a receiver keeping the last one another
        String twice = location.replaceFirst("\"party_id\":\"" + parties.cpoRole.partyId() + "\"",
                "\"party_id\":\"" + parties.cpoRole.partyId() + "\",\"party_id\":\"GAM\"");
        assertThat(twice).contains("\"party_id\":\"GAM\"");
        SimulatedResponse direct = cpoPush("PUT", "locations:RECEIVER", owner(parties.cpoRole) + "LOC-DUP", twice,
                parties.emspRole);
        SimulatedResponse broadcast = cpoPush("PUT", "locations:RECEIVER", owner(parties.cpoRole) + "LOC-DUP", twice,
                HUB);
        SimulatedResponse nested = cpoPush("PATCH", "locations:RECEIVER", owner(parties.cpoRole) + "LOC-DUP",
                "{\"evses\":[{\"uid\":\"A\",\"uid\":\"B\"}]}", parties.emspRole);

        assertRefused(direct, 200, "field party_id appears more than once");
        assertRefused(broadcast, 200, "field party_id appears more than once");
        assertRefused(nested, 200, "field evses[0].uid appears more than once");
        broadcastMarkerAndAwaitIt("OWN-MARK-5");
        assertThat(parties.emsp.received()).noneMatch(r -> r.path().contains("/LOC-DUP"));
        assertThat(storedOwners("locations", "LOC-DUP")).isEmpty();
    }

    @Test
    void aStartSessionWithAnotherEmspsTokenIs403() {
        ObjectNode command = OcpiSamples.token(parties.emspRole, "TOK-CMD", hour);
        command.put("party_id", "GAM");
        String body = "{\"response_url\":\"https://emsp.example.com/cmd/1\",\"token\":" + command
                + ",\"location_id\":\"LOC1\"}";
        SimulatedResponse refused = emspPush("POST", "commands:RECEIVER", "/START_SESSION", body, parties.cpoRole);

        assertRefused(refused, 403, "field token.party_id 'GAM'");
        assertThat(parties.cpo.received()).noneMatch(r -> r.path().contains("START_SESSION"));
    }

    // ---- issue 7.9: ids are CiStrings ----

    @Test
    void aBodyIdInAnotherCaseThanTheUrlIsTheSameObject() {
        ObjectNode location = OcpiSamples.location(parties.cpoRole, "loc1", hour);
        SimulatedResponse put = cpoPush("PUT", "locations:RECEIVER", owner(parties.cpoRole) + "LOC1",
                location.toString(), parties.emspRole);
        ObjectNode token = OcpiSamples.token(parties.emspRole, "tok-ci-1", hour);
        SimulatedResponse tokenPut = emspPush("PUT", "tokens:RECEIVER", owner(parties.emspRole) + "TOK-CI-1",
                token.toString(), parties.cpoRole);

        assertThat(put.httpStatus()).as(put.rawBody()).isEqualTo(200);
        assertThat(put.statusCode()).isEqualTo(1000);
        assertThat(tokenPut.statusCode()).as(tokenPut.rawBody()).isEqualTo(1000);
        parties.emsp.awaitRequest(r -> r.path().endsWith("/LOC1") && r.method().equals("PUT"), WAIT);
        parties.cpo.awaitRequest(r -> r.path().endsWith("/TOK-CI-1"), WAIT);
    }

    @Test
    void aStorePatchInAnotherCaseReachesTheSameStoredObject() {
        String url = owner(parties.cpoRole);
        assertThat(cpoPush("PUT", "locations:RECEIVER", url + "loc-ci",
                OcpiSamples.location(parties.cpoRole, "loc-ci", hour.plusSeconds(5)).toString(), HUB).statusCode())
                .isEqualTo(1000);
        assertThat(cpoPush("PATCH", "locations:RECEIVER", url + "LOC-CI",
                "{\"id\":\"Loc-Ci\",\"name\":\"patched\",\"last_updated\":\"" + hour.plusSeconds(6) + "\"}", HUB)
                .statusCode()).isEqualTo(1000);

        parties.emsp.awaitRequest(r -> r.method().equals("PATCH") && r.path().endsWith("/LOC-CI"), WAIT);
        broadcastMarkerAndAwaitIt("OWN-MARK-6");
        assertThat(storedOwners("locations", "loc-ci"))
                .containsExactly(parties.cpoRole.countryCode() + "/" + parties.cpoRole.partyId());
        StoreFixtures.Walk all = StoreFixtures.walk(parties.emsp, parties.emspRole,
                parties.hub("locations:SENDER") + "?" + window);
        List<ObjectNode> ci = all.objects().stream().filter(o -> o.get("id").asString().equalsIgnoreCase("loc-ci"))
                .map(o -> (ObjectNode) o).toList();
        assertThat(ci).hasSize(1);
        assertThat(ci.get(0).get("name").asString()).isEqualTo("patched");
    }

    @Test
    void openRoutingFindsALocationLearnedInAnotherCase() {
        String url = owner(parties.cpoRole);
        SimulatedResponse pushed = cpoPush("PUT", "locations:RECEIVER", url + "loc-or-ci",
                OcpiSamples.location(parties.cpoRole, "loc-or-ci", hour).toString(), parties.emspRole);
        assertThat(pushed.statusCode()).isEqualTo(1000);

        // the owner index learned "loc-or-ci"; the eMSP asks for "LOC-OR-CI" without OCPI-to headers
        SimulatedResponse routed = parties.emsp.call("GET", parties.hub("locations:SENDER") + "/LOC-OR-CI", null,
                parties.fromEmsp()).block(WAIT);

        assertThat(routed.statusCode()).as(routed.rawBody()).isNotEqualTo(4001);
        parties.cpo.awaitRequest(r -> r.method().equals("GET") && r.path().endsWith("/LOC-OR-CI"), WAIT);
    }

    // ---- SC 5: content errors are HTTP 200 ----

    @Test
    void aPutWithoutIdIs200With2001() {
        ObjectNode location = OcpiSamples.location(parties.cpoRole, "LOC-NOID", hour);
        location.remove("id");
        SimulatedResponse direct = cpoPush("PUT", "locations:RECEIVER", owner(parties.cpoRole) + "LOC-NOID",
                location.toString(), parties.emspRole);
        SimulatedResponse broadcast = cpoPush("PUT", "locations:RECEIVER", owner(parties.cpoRole) + "LOC-NOID",
                location.toString(), HUB);
        SimulatedResponse array = cpoPush("PUT", "locations:RECEIVER", owner(parties.cpoRole) + "LOC-NOID",
                "[1,2]", parties.emspRole);

        assertRefused(direct, 200, "missing required field: id");
        assertRefused(broadcast, 200, "missing required field: id");
        assertRefused(array, 200, "must be a JSON object");
        assertThat(parties.emsp.received()).noneMatch(r -> r.path().contains("LOC-NOID"));
        assertThat(storedOwners("locations", "LOC-NOID")).isEmpty();
    }
}
