package org.ocpihub.app.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ocpihub.app.support.RoutingParties.WAIT;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ocpihub.app.support.Parties;
import org.ocpihub.app.support.RoutingParties;
import org.ocpihub.app.support.SharedPartiesPerClass;
import org.ocpihub.testkit.party.OcpiSamples;
import org.ocpihub.testkit.party.PartyRole;
import org.ocpihub.testkit.party.SimulatedPlatform;
import org.ocpihub.testkit.party.SimulatedResponse;
import org.springframework.http.HttpMethod;

/**
 * The from-pair is held by the calling platform in a role that may send the module on that interface
 * ({@code SenderRole}), for direct, open-routed and broadcast requests alike (attack finding 1). The parties: the
 * shared CPO and eMSP, and a second platform that the operator granted the <em>EMSP</em> role under the shared
 * CPO's own country_code/party_id (the CPO role of that id stays on the CPO's platform).
 */
class SenderRoleRoutingTest extends SharedPartiesPerClass {

    private static PartyRole twinRole;
    private static SimulatedPlatform twin;
    private static String twinId;

    @BeforeAll
    static void startTwin() {
        twinRole = new PartyRole("EMSP", parties.cpoRole.countryCode(), parties.cpoRole.partyId(), "Twin eMSP");
        twin = SimulatedPlatform.builder().name("twin-" + twinRole.partyId()).role(twinRole)
                .modules("tokens:SENDER", "locations:RECEIVER", "cdrs:RECEIVER", "commands:SENDER",
                        "hubclientinfo:RECEIVER")
                .start();
        twinId = RoutingParties.registerWith(hub, twin, twinRole);
    }

    @AfterAll
    static void stopTwin() {
        twin.close();
        hub.admin().call(HttpMethod.DELETE, "/platforms/" + twinId, null);
    }

    /** The attack's second input: the eMSP twin pushes a Location and a CDR in the name of the CPO's id. */
    @Test
    void anIdHeldAsEmspCannotPushCpoDataFromThatPlatform() {
        String location = "TWIN-LOC";
        SimulatedResponse direct = twin.call("PUT", twin.hubEndpoints().get("locations:RECEIVER") + "/"
                        + ownerPath(twinRole) + "/" + location,
                OcpiSamples.location(parties.cpoRole, location, Instant.now()).toString(),
                RoutingParties.route(twinRole, parties.emspRole)).block(WAIT);
        SimulatedResponse cdr = twin.call("POST", twin.hubEndpoints().get("cdrs:RECEIVER"),
                OcpiSamples.cdr(parties.cpoRole, "TWIN-CDR", parties.emspRole, "TOK1", Instant.now()).toString(),
                RoutingParties.route(twinRole, parties.emspRole)).block(WAIT);
        // open routing and broadcast: the same rule
        SimulatedResponse openCdr = twin.call("POST", twin.hubEndpoints().get("cdrs:RECEIVER"),
                OcpiSamples.cdr(parties.cpoRole, "TWIN-CDR2", parties.emspRole, "TOK1", Instant.now()).toString(),
                RoutingParties.route(twinRole, null)).block(WAIT);
        SimulatedResponse broadcast = twin.call("PUT", twin.hubEndpoints().get("locations:RECEIVER") + "/"
                        + ownerPath(twinRole) + "/" + location,
                OcpiSamples.location(parties.cpoRole, location, Instant.now()).toString(),
                hubAsReceiver(twinRole)).block(WAIT);

        for (SimulatedResponse answer : List.of(direct, cdr, openCdr, broadcast)) {
            assertForbidden(answer, twinRole, "EMSP");
        }
        assertThat(direct.statusMessage()).contains("locations RECEIVER", "CPO, NAP");
        assertThat(cdr.statusMessage()).contains("cdrs RECEIVER", "CPO");
        assertThat(parties.emsp.received()).noneMatch(r -> r.path().contains("TWIN-") || r.body().contains("TWIN-CDR"));
    }

    /** The same id, from the platform where it is an eMSP, may push what an eMSP sends: a Token, to the CPO. */
    @Test
    void theTwinMaySendWhatItsOwnRoleSends() {
        String uid = "TWIN-TOK";
        SimulatedResponse answer = twin.call("PUT", twin.hubEndpoints().get("tokens:RECEIVER") + "/"
                        + ownerPath(twinRole) + "/" + uid, OcpiSamples.token(twinRole, uid, Instant.now()).toString(),
                RoutingParties.route(twinRole, parties.cpoRole)).block(WAIT);

        assertThat(answer.statusCode()).as(answer.rawBody()).isEqualTo(1000);
        parties.cpo.awaitRequest(r -> r.path().endsWith("/" + uid), WAIT);
    }

    /** The attack's first input's sibling: a CPO sends START_SESSION (an eMSP's command) to another CPO. */
    @Test
    void aCpoCannotSendCommandsOrTokens() {
        PartyRole otherCpoRole = Parties.cpo();
        try (SimulatedPlatform otherCpo = RoutingParties.cpo(otherCpoRole)) {
            String otherId = RoutingParties.registerWith(hub, otherCpo, otherCpoRole);
            try {
                String command = "{\"response_url\":\"" + otherCpo.baseUrl() + "/cb/1\",\"token\":"
                        + OcpiSamples.token(otherCpoRole, "CPO-TOK", Instant.now()) + ",\"location_id\":\"L1\"}";
                SimulatedResponse start = otherCpo.call("POST", otherCpo.hubEndpoints().get("commands:RECEIVER")
                        + "/START_SESSION", command, RoutingParties.route(otherCpoRole, parties.cpoRole)).block(WAIT);
                SimulatedResponse openToken = otherCpo.call("PUT", otherCpo.hubEndpoints().get("tokens:RECEIVER")
                                + "/" + ownerPath(otherCpoRole) + "/CPO-TOK",
                        OcpiSamples.token(otherCpoRole, "CPO-TOK", Instant.now()).toString(),
                        RoutingParties.route(otherCpoRole, null)).block(WAIT);

                assertForbidden(start, otherCpoRole, "CPO");
                assertThat(start.statusMessage()).contains("commands RECEIVER", "EMSP, OTHER");
                assertForbidden(openToken, otherCpoRole, "CPO");
                assertThat(parties.cpo.received()).noneMatch(r -> r.path().contains("START_SESSION")
                        && otherCpoRole.partyId().equals(r.header("OCPI-from-party-id")));
                assertThat(parties.cpo.received()).noneMatch(r -> r.path().contains("CPO-TOK"));
            } finally {
                hub.admin().call(HttpMethod.DELETE, "/platforms/" + otherId, null);
            }
        }
    }

    /** Pulls come from the other side: the eMSP GETs the CPO's Locations, the CPO cannot GET another CPO's. */
    @Test
    void aGetComesFromAPartyThatReceivesTheModule() {
        parties.cpo.locations().put(OcpiSamples.location(parties.cpoRole, "ROLE-GET", OcpiSamples.seedTime(5)));
        SimulatedResponse byEmsp = parties.emsp.call("GET", parties.hub("locations:SENDER") + "/ROLE-GET", null,
                parties.emspToCpo()).block(WAIT);
        SimulatedResponse byCpo = parties.cpo.call("GET", parties.cpo.hubEndpoints().get("locations:SENDER")
                + "/ROLE-GET", null, RoutingParties.route(parties.cpoRole, parties.cpoRole)).block(WAIT);

        assertThat(byEmsp.statusCode()).as(byEmsp.rawBody()).isEqualTo(1000);
        assertForbidden(byCpo, parties.cpoRole, "CPO");
        assertThat(byCpo.statusMessage()).contains("locations SENDER", "EMSP, NAP, NSP, OTHER");
    }

    private static void assertForbidden(SimulatedResponse answer, PartyRole from, String heldRole) {
        assertThat(answer.httpStatus()).as(answer.rawBody()).isEqualTo(403);
        assertThat(answer.statusCode()).isEqualTo(2001);
        assertThat(answer.statusMessage()).contains("OCPI-from " + from.countryCode() + "/" + from.partyId()
                + " is " + heldRole + " on the calling platform");
    }

    private static String ownerPath(PartyRole owner) {
        return owner.countryCode() + "/" + owner.partyId();
    }

    private static Map<String, String> hubAsReceiver(PartyRole from) {
        Map<String, String> headers = RoutingParties.route(from, null);
        headers.put("OCPI-to-country-code", "NL"); // the test hub's identity (hub.identity defaults)
        headers.put("OCPI-to-party-id", "HUB");
        return headers;
    }
}
