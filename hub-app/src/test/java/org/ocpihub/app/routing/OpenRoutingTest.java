package org.ocpihub.app.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;
import org.ocpihub.app.support.Parties;
import org.ocpihub.app.support.FreshPartiesPerTest;
import org.ocpihub.app.support.MemberIsolation;
import org.ocpihub.app.support.RoutingParties;
import org.ocpihub.app.support.RunningHub;
import org.ocpihub.registry.config.HubProperties;
import org.ocpihub.testkit.party.OcpiSamples;
import org.ocpihub.testkit.party.PartyRole;
import org.ocpihub.testkit.party.RecordedRequest;
import org.ocpihub.testkit.party.SentRequest;
import org.ocpihub.testkit.party.SimulatedPlatform;
import org.ocpihub.testkit.party.SimulatedResponse;
import org.ocpihub.ocpi.module.OwnerKind;
import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.router.openrouting.OwnerIndex;
import org.springframework.r2dbc.core.DatabaseClient;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Open routing (TF 4.1.8.4, D6): requests without OCPI-to headers reach the party the hub finds, from the body
 * ({@code cdr_token}) or from the owner indexes it learned from earlier traffic; the hub adds the to-pair it chose and
 * leaves the from-pair alone. Real HTTP from one simulated platform through the hub to another.
 */
class OpenRoutingTest extends FreshPartiesPerTest {

    private static final Duration WAIT = RoutingParties.WAIT;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    // ---- Tokens: authorize by the token owner learned from token pushes ----

    @Test
    void authorizeWithoutToHeadersReachesTheEmspThatPushedTheToken() {
        String uid = "TOK" + parties.emspRole.partyId() + "A";
        ObjectNode token = OcpiSamples.token(parties.emspRole, uid, Instant.parse("2024-03-01T10:00:00Z"));
        emsp.tokens().put(token);
        SimulatedResponse pushed = send(emsp, "PUT", cooUrl("tokens:RECEIVER", parties.emspRole, uid),
                JSON.writeValueAsString(token), parties.emspToCpo());
        assertThat(pushed.isSuccess()).as(pushed.rawBody()).isTrue();
        assertThat(cpo.receivedObjects("tokens").get(key(parties.emspRole, uid))).isPresent();

        SimulatedResponse answer = send(cpo, "POST", parties.hub("tokens:SENDER") + "/" + uid + "/authorize?type=RFID",
                "{\"location_id\":\"LOC1\"}", parties.fromCpo());

        assertThat(answer.isSuccess()).as(answer.rawBody()).isTrue();
        assertThat(answer.data().path("allowed").asString()).isEqualTo("ALLOWED");
        assertThat(answer.data().path("token").path("uid").asString()).isEqualTo(uid);
        assertThat(answer.header("OCPI-from-party-id")).isEqualTo(parties.emspRole.partyId());
        RecordedRequest atEmsp = emsp.awaitRequest(r -> r.method().equals("POST")
                && r.path().equals(SimulatedPlatform.modulePath("tokens", "SENDER") + "/" + uid + "/authorize"), WAIT);
        assertThat(atEmsp.query()).isEqualTo("type=RFID");
        assertRouted(atEmsp, parties.cpoRole, parties.emspRole);
    }

    /** TOK 12.2.2.2, TF 4.1.8.4: a token no index knows is asked of every eMSP; none knows it → 404 + 2004. */
    @Test
    void authorizeForATokenNoEmspKnowsIs2004FromTheHubSayingWhoWasAsked() {
        String uid = "NEVER" + parties.cpoRole.partyId();

        SimulatedResponse answer = send(cpo, "POST", parties.hub("tokens:SENDER") + "/" + uid + "/authorize", null,
                parties.fromCpo());

        assertThat(answer.httpStatus()).isEqualTo(404);
        assertThat(answer.statusCode()).isEqualTo(2004);
        assertThat(answer.statusMessage()).startsWith("unknown token " + uid + ": the hub has not seen it and of the ")
                .contains(" asked, ").contains("do not know it");
        assertThat(answer.header("OCPI-from-party-id")).isEqualTo(hubPartyId());
        RecordedRequest asked = emsp.awaitRequest(r -> r.path().endsWith("/" + uid + "/authorize"), WAIT);
        assertRouted(asked, parties.cpoRole, parties.emspRole);
    }

    // ---- Sessions and CDRs: by cdr_token.country_code/party_id ----

    @Test
    void aSessionPushWithoutToHeadersReachesTheEmspOfItsCdrTokenByteForByteAndPatchesFollowIt() {
        String sessionId = "SES" + parties.cpoRole.partyId() + "A";
        String body = oddlyFormatted(OcpiSamples.session(parties.cpoRole, sessionId, parties.emspRole, "TOK1",
                Instant.parse("2024-03-01T10:30:00.123Z")));

        SimulatedResponse put = send(cpo, "PUT", cooUrl("sessions:RECEIVER", parties.cpoRole, sessionId), body,
                parties.fromCpo());

        assertThat(put.isSuccess()).as(put.rawBody()).isTrue();
        String path = SimulatedPlatform.modulePath("sessions", "RECEIVER") + "/" + key(parties.cpoRole, sessionId);
        RecordedRequest atEmsp = emsp.awaitRequest(r -> r.method().equals("PUT") && r.path().equals(path), WAIT);
        assertThat(atEmsp.bodyBytes()).isEqualTo(body.getBytes(StandardCharsets.UTF_8));
        assertRouted(atEmsp, parties.cpoRole, parties.emspRole);

        String patch = "{\"kwh\":7.25,\"last_updated\":\"2024-03-01T10:45:00Z\"}";
        SimulatedResponse patched = send(cpo, "PATCH", cooUrl("sessions:RECEIVER", parties.cpoRole, sessionId),
                patch, parties.fromCpo());

        assertThat(patched.isSuccess()).as(patched.rawBody()).isTrue();
        RecordedRequest patchAtEmsp = emsp.awaitRequest(r -> r.method().equals("PATCH") && r.path().equals(path),
                WAIT);
        assertThat(patchAtEmsp.body()).isEqualTo(patch);
        assertRouted(patchAtEmsp, parties.cpoRole, parties.emspRole);
        assertThat(emsp.receivedObjects("sessions").get(key(parties.cpoRole, sessionId)).orElseThrow()
                .path("kwh").asDouble()).isEqualTo(7.25);
    }

    @Test
    void aCdrPostWithoutToHeadersReachesItsEmspAndItsLocationPointsAtTheHub() {
        String cdrId = "CDR" + parties.cpoRole.partyId() + "A";
        ObjectNode cdr = OcpiSamples.cdr(parties.cpoRole, cdrId, parties.emspRole, "TOK1",
                Instant.parse("2024-03-01T12:00:00Z"));

        SimulatedResponse posted = send(cpo, "POST", parties.hub("cdrs:RECEIVER"), JSON.writeValueAsString(cdr),
                parties.fromCpo());

        assertThat(posted.isSuccess()).as(posted.rawBody()).isTrue();
        RecordedRequest atEmsp = emsp.awaitRequest(r -> r.method().equals("POST")
                && r.path().equals(SimulatedPlatform.modulePath("cdrs", "RECEIVER")), WAIT);
        assertRouted(atEmsp, parties.cpoRole, parties.emspRole);
        String location = posted.header("Location");
        assertThat(location).startsWith(parties.hub("cdrs:RECEIVER") + "/");
        assertThat(location).doesNotContain(MemberIsolation.hostPort(emsp));

        SimulatedResponse fetched = send(cpo, "GET", location, null, parties.cpoToEmsp());

        assertThat(fetched.isSuccess()).as(fetched.rawBody()).isTrue();
        assertThat(fetched.data().path("id").asString()).isEqualTo(cdrId);
        assertThat(fetched.data().path("cdr_token").path("party_id").asString())
                .isEqualTo(parties.emspRole.partyId());
    }

    // ---- Locations: single-object GET by the location owner ----

    @Test
    void aSingleLocationGetWithoutToHeadersReachesTheCpoThatPushedIt() {
        String locationId = "LOC" + parties.cpoRole.partyId() + "A";
        pushLocation(cpo, parties.cpoRole, locationId);

        SimulatedResponse location = send(emsp, "GET", parties.hub("locations:SENDER") + "/" + locationId, null,
                parties.fromEmsp());
        SimulatedResponse evse = send(emsp, "GET", parties.hub("locations:SENDER") + "/" + locationId + "/"
                + locationId + "-2", null, parties.fromEmsp());

        assertThat(location.isSuccess()).as(location.rawBody()).isTrue();
        assertThat(location.data().path("id").asString()).isEqualTo(locationId);
        assertThat(evse.isSuccess()).as(evse.rawBody()).isTrue();
        assertThat(evse.data().path("uid").asString()).isEqualTo(locationId + "-2");
        RecordedRequest atCpo = cpo.awaitRequest(r -> r.method().equals("GET")
                && r.path().equals(SimulatedPlatform.modulePath("locations", "SENDER") + "/" + locationId), WAIT);
        assertRouted(atCpo, parties.emspRole, parties.cpoRole);
    }

    @Test
    void aListGetWithoutToHeadersIsRefused() {
        SimulatedResponse answer = send(emsp, "GET", parties.hub("locations:SENDER") + "?limit=10", null,
                parties.fromEmsp());

        assertThat(answer.httpStatus()).isEqualTo(200);
        assertThat(answer.statusCode()).isEqualTo(2001);
        assertThat(answer.statusMessage()).contains("TF 4.1.8.4");
        assertThat(cpo.received()).noneMatch(r -> r.path().startsWith(SimulatedPlatform.modulePath("locations",
                "SENDER")));
    }

    @Test
    void aLocationIdKnownAtTwoCposIsAmbiguous() {
        PartyRole otherRole = Parties.cpo();
        try (SimulatedPlatform other = RoutingParties.cpo(otherRole)) {
            RoutingParties.registerWith(hub, other, otherRole);
            String locationId = "AMB" + parties.cpoRole.partyId();
            pushLocation(cpo, parties.cpoRole, locationId);
            pushLocation(other, otherRole, locationId);

            SimulatedResponse answer = send(emsp, "GET", parties.hub("locations:SENDER") + "/" + locationId, null,
                    parties.fromEmsp());

            assertThat(answer.httpStatus()).isEqualTo(200);
            assertThat(answer.statusCode()).isEqualTo(4001);
            assertThat(answer.statusMessage()).contains("location " + locationId).contains("known at 2 parties");
            Predicate<RecordedRequest> locationGet = r -> r.method().equals("GET")
                    && r.path().startsWith(SimulatedPlatform.modulePath("locations", "SENDER"));
            assertThat(cpo.received()).noneMatch(locationGet);
            assertThat(other.received()).noneMatch(locationGet);
        }
    }

    // ---- Commands: by location_id, session_id ----

    @Test
    void startSessionWithoutToHeadersReachesTheCpoOwningTheLocation() {
        String locationId = "LOC" + parties.cpoRole.partyId() + "S";
        pushLocation(cpo, parties.cpoRole, locationId);
        String body = "{\"response_url\":\"" + emsp.commandResultUrl("start1") + "\",\"token\":"
                + JSON.writeValueAsString(OcpiSamples.token(parties.emspRole, "TOKS", Instant.now()))
                + ",\"location_id\":\"" + locationId + "\",\"evse_uid\":\"" + locationId + "-1\"}";

        SimulatedResponse answer = send(emsp, "POST", parties.hub("commands:RECEIVER") + "/START_SESSION", body,
                parties.fromEmsp());

        assertThat(answer.isSuccess()).as(answer.rawBody()).isTrue();
        assertThat(answer.data().path("result").asString()).isEqualTo("ACCEPTED");
        RecordedRequest atCpo = cpo.awaitRequest(r -> r.path().equals(
                SimulatedPlatform.modulePath("commands", "RECEIVER") + "/START_SESSION"), WAIT);
        assertRouted(atCpo, parties.emspRole, parties.cpoRole);
        assertThat(atCpo.json().path("location_id").asString()).isEqualTo(locationId);
        RecordedRequest result = emsp.awaitRequest(r -> r.path().endsWith("/commands/sender/start1"), WAIT);
        assertThat(result.json().path("result").asString()).isEqualTo("ACCEPTED");
        assertRouted(result, parties.cpoRole, parties.emspRole);
        awaitResultDelivered();
    }

    @Test
    void stopSessionWithoutToHeadersReachesTheCpoRunningTheSession() {
        String sessionId = "SES" + parties.cpoRole.partyId() + "S";
        pushSession(sessionId);
        String body = "{\"response_url\":\"" + emsp.commandResultUrl("stop1") + "\",\"session_id\":\""
                + sessionId + "\"}";

        SimulatedResponse answer = send(emsp, "POST", parties.hub("commands:RECEIVER") + "/STOP_SESSION", body,
                parties.fromEmsp());

        assertThat(answer.isSuccess()).as(answer.rawBody()).isTrue();
        RecordedRequest atCpo = cpo.awaitRequest(r -> r.path().equals(
                SimulatedPlatform.modulePath("commands", "RECEIVER") + "/STOP_SESSION"), WAIT);
        assertRouted(atCpo, parties.emspRole, parties.cpoRole);
        assertThat(atCpo.json().path("session_id").asString()).isEqualTo(sessionId);
        assertThat(emsp.awaitRequest(r -> r.path().endsWith("/commands/sender/stop1"), WAIT).json()
                .path("result").asString()).isEqualTo("ACCEPTED");
        awaitResultDelivered();
    }

    // ---- ChargingProfiles: by session ----

    @Test
    void anActiveChargingProfileGetWithoutToHeadersReachesTheCpoRunningTheSession() {
        String sessionId = "SES" + parties.cpoRole.partyId() + "P";
        pushSession(sessionId);
        String url = parties.hub("chargingprofiles:RECEIVER") + "/" + sessionId + "?duration=900&response_url="
                + URLEncoder.encode(emsp.chargingProfileResultUrl("cp1"), StandardCharsets.UTF_8);

        SimulatedResponse answer = send(emsp, "GET", url, null, parties.fromEmsp());

        assertThat(answer.isSuccess()).as(answer.rawBody()).isTrue();
        assertThat(answer.data().path("result").asString()).isEqualTo("ACCEPTED");
        RecordedRequest atCpo = cpo.awaitRequest(r -> r.method().equals("GET") && r.path().equals(
                SimulatedPlatform.modulePath("chargingprofiles", "RECEIVER") + "/" + sessionId), WAIT);
        assertRouted(atCpo, parties.emspRole, parties.cpoRole);
        assertThat(atCpo.queryParam("duration")).isEqualTo("900");
        RecordedRequest result = emsp.awaitRequest(r -> r.path().endsWith("/chargingprofiles/sender/cp1"), WAIT);
        assertThat(result.json().path("result").asString()).isEqualTo("ACCEPTED");
        assertThat(result.json().path("profile").path("charging_profile").path("duration").asInt()).isEqualTo(900);
        awaitResultDelivered();
    }

    // ---- what the hub learned is in PostgreSQL ----

    @Test
    void anotherHubInstanceRoutesByWhatTheSharedHubLearned() {
        String locationId = "LOC" + parties.cpoRole.partyId() + "I";
        pushLocation(cpo, parties.cpoRole, locationId);
        // the index is written through in the background: wait until it is in the database
        DatabaseClient db = hub.context().getBean(DatabaseClient.class);
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> db
                .sql("select count(*) as n from owner_index where kind = 'LOCATION' and object_id = :id")
                .bind("id", locationId).map(r -> r.get("n", Long.class)).one().block(WAIT) == 1L);

        try (RunningHub second = RunningHub.start(Map.of())) {
            String url = parties.hub("locations:SENDER").replace(hub.url(), second.url()) + "/" + locationId;

            SimulatedResponse answer = send(emsp, "GET", url, null, parties.fromEmsp());

            assertThat(answer.isSuccess()).as(answer.rawBody()).isTrue();
            assertThat(answer.data().path("id").asString()).isEqualTo(locationId);
            RecordedRequest atCpo = cpo.awaitRequest(r -> r.method().equals("GET") && r.path().equals(
                    SimulatedPlatform.modulePath("locations", "SENDER") + "/" + locationId), WAIT);
            assertRouted(atCpo, parties.emspRole, parties.cpoRole);
        }
    }

    @Test
    void theOwnerIndexKeepsABoundedNumberOfObjectsInMemoryAndReadsTheOthersFromPostgreSQL() {
        DatabaseClient db = hub.context().getBean(DatabaseClient.class);
        OwnerIndex index = new OwnerIndex(db, 50);
        PartyId owner = PartyId.of(parties.cpoRole.countryCode(), parties.cpoRole.partyId());
        String prefix = "BOUND" + parties.cpoRole.partyId() + "-";
        for (int i = 0; i < 500; i++) {
            index.learn(OwnerKind.LOCATION, prefix + i, owner);
        }
        // written through in the background
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> db
                .sql("select count(*) as n from owner_index where kind = 'LOCATION' and object_id like :p")
                .bind("p", prefix + "%").map(r -> r.get("n", Long.class)).one().block(WAIT) == 500L);

        assertThat(index.inMemory()).isLessThanOrEqualTo(50);
        // an object no longer in memory is found in PostgreSQL, by any case of its id
        assertThat(index.owners(OwnerKind.LOCATION, (prefix + 0).toLowerCase()).block(WAIT)).containsExactly(owner);
        assertThat(index.owners(OwnerKind.LOCATION, prefix + 499).block(WAIT)).containsExactly(owner);
    }

    // ---- helpers ----

    /** The CPO owns a Location and pushes it to the eMSP (direct): the hub learns who owns the id. */
    private void pushLocation(SimulatedPlatform owner, PartyRole ownerRole, String locationId) {
        ObjectNode location = OcpiSamples.location(ownerRole, locationId, Instant.parse("2024-03-01T09:00:00Z"));
        owner.locations().put(location);
        SimulatedResponse pushed = send(owner, "PUT", cooUrl("locations:RECEIVER", ownerRole, locationId),
                JSON.writeValueAsString(location), RoutingParties.route(ownerRole, parties.emspRole));
        assertThat(pushed.isSuccess()).as(pushed.rawBody()).isTrue();
    }

    /** The CPO pushes a Session of the eMSP's token (open routing): the hub learns the session's CPO. */
    private void pushSession(String sessionId) {
        ObjectNode session = OcpiSamples.session(parties.cpoRole, sessionId, parties.emspRole, "TOK1",
                Instant.parse("2024-03-01T10:00:00Z"));
        cpo.sessions().put(session);
        SimulatedResponse pushed = send(cpo, "PUT", cooUrl("sessions:RECEIVER", parties.cpoRole, sessionId),
                JSON.writeValueAsString(session), parties.fromCpo());
        assertThat(pushed.isSuccess()).as(pushed.rawBody()).isTrue();
    }

    /** The CPO's asynchronous result went through the hub's relay and the eMSP's answer came back to the CPO. */
    private void awaitResultDelivered() {
        SentRequest sent = cpo.awaitSent(s -> s.url().startsWith(hub.url() + "/ocpi/2.2.1/relay/"), WAIT);
        assertThat(sent.response()).as(sent.line()).isNotNull();
        assertThat(sent.response().isSuccess()).as(sent.line()).isTrue();
    }

    private SimulatedResponse send(SimulatedPlatform from, String method, String url, String body,
                                   Map<String, String> headers) {
        SimulatedResponse answer = from.call(method, url, body, headers).block(WAIT);
        answers.add(answer);
        return answer;
    }

    private String cooUrl(String moduleInterface, PartyRole owner, String id) {
        return parties.hub(moduleInterface) + "/" + key(owner, id);
    }

    private static String key(PartyRole owner, String id) {
        return owner.countryCode() + "/" + owner.partyId() + "/" + id;
    }

    /** The routing headers as the receiver got them: from unchanged, to = the party the hub chose. */
    private static void assertRouted(RecordedRequest request, PartyRole from, PartyRole to) {
        assertThat(request.header("OCPI-from-country-code")).isEqualTo(from.countryCode());
        assertThat(request.header("OCPI-from-party-id")).isEqualTo(from.partyId());
        assertThat(request.header("OCPI-to-country-code")).isEqualTo(to.countryCode());
        assertThat(request.header("OCPI-to-party-id")).isEqualTo(to.partyId());
    }

    private static String hubPartyId() {
        return hub.context().getBean(HubProperties.class).identity().partyId();
    }

    /** White space, an unknown field, unusual number formatting and non-ASCII text around a valid object. */
    private static String oddlyFormatted(JsonNode object) {
        String compact = JSON.writeValueAsString(object);
        return "{ \"x_vendor_note\" : \"grüße ✓\",\n    " + compact.substring(1, compact.length() - 1)
                .replace(",\"", " ,\n    \"") + ",\n  \"x_ratio\" : 1.50E+0 }\n";
    }
}
