package org.ocpihub.app.broadcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;


import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ocpihub.app.support.AdminClient;
import org.ocpihub.app.support.Parties;
import org.ocpihub.app.support.RoutingParties;
import org.ocpihub.app.support.RunningHub;
import org.ocpihub.testkit.party.Fault;
import org.ocpihub.testkit.party.OcpiReply;
import org.ocpihub.testkit.party.OcpiSamples;
import org.ocpihub.testkit.party.PartyRole;
import org.ocpihub.testkit.party.RecordedRequest;
import org.ocpihub.testkit.party.SimulatedPlatform;
import org.ocpihub.testkit.party.SimulatedResponse;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Broadcast Push (D7, TF 4.1.8.3) through real Kafka: one push from a CPO reaches every eligible receiver, in order,
 * without a slow receiver holding up the others; transient failures are retried, final failures recorded and
 * replayable by an operator.
 */
class BroadcastFanOutTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final PartyRole HUB = new PartyRole("HUB", "NL", "HUB", "hub");
    private static final RunningHub hub = RunningHub.shared();

    private static PartyRole cpoRole;
    private static SimulatedPlatform cpo;
    private static final List<PartyRole> emspRoles = new ArrayList<>();
    private static final List<SimulatedPlatform> emsps = new ArrayList<>();
    private static PartyRole otherCpoRole;
    private static SimulatedPlatform otherCpo;
    private static PartyRole mutedRole;
    private static SimulatedPlatform muted; // an eMSP without a locations receiver endpoint

    @BeforeAll
    static void platforms() {
        cpoRole = Parties.cpo();
        cpo = RoutingParties.cpo(cpoRole);
        RoutingParties.registerWith(hub, cpo, cpoRole);
        for (int i = 0; i < 3; i++) {
            PartyRole role = Parties.emsp();
            SimulatedPlatform emsp = SimulatedPlatform.builder().name("bc-emsp-" + i).role(role)
                    .modules("locations:RECEIVER", "tariffs:RECEIVER", "tokens:SENDER").start();
            RoutingParties.registerWith(hub, emsp, role);
            emspRoles.add(role);
            emsps.add(emsp);
        }
        otherCpoRole = Parties.cpo();
        otherCpo = RoutingParties.cpo(otherCpoRole);
        RoutingParties.registerWith(hub, otherCpo, otherCpoRole);
        mutedRole = Parties.emsp();
        muted = SimulatedPlatform.builder().name("bc-muted").role(mutedRole).modules("tokens:SENDER").start();
        RoutingParties.registerWith(hub, muted, mutedRole);
    }

    @AfterAll
    static void close() {
        cpo.close();
        emsps.forEach(SimulatedPlatform::close);
        otherCpo.close();
        muted.close();
    }

    private static String locationUrl(String id) {
        return cpo.hubEndpoints().get("locations:RECEIVER") + "/" + cpoRole.countryCode() + "/" + cpoRole.partyId()
                + "/" + id;
    }

    private static SimulatedResponse push(String method, String url, String body, String correlationId) {
        return cpo.call(method, url, body, RoutingParties.with(RoutingParties.route(cpoRole, HUB),
                "X-Correlation-ID", correlationId)).block(WAIT);
    }

    @Test
    void aLocationPushReachesEveryEligibleReceiverAsFromTheHub() {
        String id = "BC-LOC-1";
        String body = OcpiSamples.location(cpoRole, id, OcpiSamples.seedTime(10)).toString();

        SimulatedResponse accepted = push("PUT", locationUrl(id), body, "bc-corr-1");

        assertThat(accepted.httpStatus()).isEqualTo(200);
        assertThat(accepted.statusCode()).isEqualTo(1000);
        assertThat(accepted.header("OCPI-from-party-id")).isEqualTo("HUB");
        assertThat(accepted.header("OCPI-to-party-id")).isEqualTo(cpoRole.partyId());
        for (int i = 0; i < emsps.size(); i++) {
            RecordedRequest arrived = emsps.get(i).awaitRequest(r -> r.path().endsWith("/" + id), WAIT);
            assertThat(arrived.method()).isEqualTo("PUT");
            assertThat(arrived.path()).endsWith("/locations/receiver/" + cpoRole.countryCode() + "/"
                    + cpoRole.partyId() + "/" + id);
            assertThat(arrived.bodyBytes()).isEqualTo(body.getBytes(StandardCharsets.UTF_8));
            assertThat(arrived.header("OCPI-from-country-code")).isEqualTo("NL");
            assertThat(arrived.header("OCPI-from-party-id")).isEqualTo("HUB");
            assertThat(arrived.header("OCPI-to-party-id")).isEqualTo(emspRoles.get(i).partyId());
            assertThat(arrived.header("X-Correlation-ID")).isEqualTo("bc-corr-1");
            assertThat(arrived.header("X-Request-ID")).isNotBlank();
        }
        // CPO data is not for CPOs, nor for members without the receiver endpoint, nor back to the sender
        String later = "BC-LOC-MARK";
        push("PUT", locationUrl(later), OcpiSamples.location(cpoRole, later, OcpiSamples.seedTime(11)).toString(),
                "bc-corr-mark");
        emsps.forEach(e -> e.awaitRequest(r -> r.path().endsWith("/" + later), WAIT));
        // (what a platform "received" is counted by whom it was addressed to: a port reused from a closed platform
        // of an earlier test may get that platform's traffic)
        assertThat(otherCpo.received()).noneMatch(r -> r.path().contains("BC-LOC") && addressedTo(r, otherCpoRole));
        assertThat(muted.received()).noneMatch(r -> r.path().contains("BC-LOC") && addressedTo(r, mutedRole));
        assertThat(cpo.received()).noneMatch(r -> r.path().contains("/locations/receiver/") && addressedTo(r, cpoRole));
    }

    @Test
    void pushesOfOneObjectArriveInTheOrderTheHubAcceptedThem() {
        String id = "BC-ORDER";
        push("PUT", locationUrl(id), OcpiSamples.location(cpoRole, id, OcpiSamples.seedTime(20)).toString(), "o-0");
        List<String> statuses = List.of("CHARGING", "AVAILABLE", "BLOCKED", "OUTOFORDER", "AVAILABLE", "CHARGING");
        for (int i = 0; i < statuses.size(); i++) {
            String patch = "{\"status\":\"" + statuses.get(i) + "\",\"last_updated\":\"2024-02-01T00:00:0" + i + "Z\"}";
            assertThat(push("PATCH", locationUrl(id) + "/" + id + "-1", patch, "o-" + (i + 1)).statusCode()).isEqualTo(1000);
        }
        // each receiver sees the EVSE's statuses in the order they were pushed and ends with the last one. It may see
        // fewer: waiting PATCHes of one Location are conflated into one PUT of its stored state (hub.broadcast.
        // conflation), read when it is sent, which carries the latest status stored by then; a PATCH accepted after
        // that PUT was formed still follows it, so a state may come twice, but never an older one after a newer one
        for (SimulatedPlatform emsp : emsps) {
            await().atMost(WAIT).untilAsserted(() -> {
                List<String> seen = firstEvseStatuses(emsp, id);
                assertThat(seen).isNotEmpty();
                assertThat(seen.get(seen.size() - 1)).isEqualTo(statuses.get(statuses.size() - 1));
                assertNeverBackInTime(statuses, seen);
            });
        }
    }

    /** Each seen status is a push at or after the one the previous seen status was (repeats allowed). */
    private static void assertNeverBackInTime(List<String> pushed, List<String> seen) {
        int at = 0;
        for (String status : seen) {
            int next = at;
            while (next < pushed.size() && !pushed.get(next).equals(status)) {
                next++;
            }
            assertThat(next).as("%s went back in time: pushed %s", seen, pushed).isLessThan(pushed.size());
            at = next;
        }
    }

    /** The first EVSE's status in each push of the Location after its first PUT that a receiver got, in arrival order. */
    private static List<String> firstEvseStatuses(SimulatedPlatform receiver, String id) {
        List<String> seen = new ArrayList<>();
        List<RecordedRequest> pushes = receiver.received().stream().filter(r -> r.path().contains("/" + id)).toList();
        for (RecordedRequest push : pushes.subList(Math.min(1, pushes.size()), pushes.size())) {
            if (push.method().equals("PATCH") && push.path().endsWith("/" + id + "/" + id + "-1")) {
                seen.add(push.json().get("status").asString());
            } else if (push.method().equals("PUT") && push.path().endsWith("/" + id)) {
                push.json().get("evses").forEach(evse -> {
                    if (evse.get("uid").asString().equals(id + "-1")) {
                        seen.add(evse.get("status").asString());
                    }
                });
            }
        }
        return seen;
    }

    @Test
    void aSlowReceiverDoesNotHoldUpTheOthers() {
        SimulatedPlatform slow = emsps.get(0);
        slow.moduleFaults("locations:RECEIVER", Fault.slow(Duration.ofSeconds(4)));
        try {
            String id = "BC-SLOW";
            push("PUT", locationUrl(id), OcpiSamples.location(cpoRole, id, OcpiSamples.seedTime(30)).toString(),
                    "slow-1");
            RecordedRequest slowArrival = slow.awaitRequest(r -> r.path().endsWith("/" + id), WAIT);
            // the slow receiver keeps its request 4 s; had it held up the others, they would get theirs after that
            for (SimulatedPlatform fast : emsps.subList(1, emsps.size())) {
                RecordedRequest fastArrival = fast.awaitRequest(r -> r.path().endsWith("/" + id), WAIT);
                assertThat(Duration.between(slowArrival.receivedAt(), fastArrival.receivedAt()).abs())
                        .isLessThan(Duration.ofSeconds(2));
            }
        } finally {
            slow.moduleFaults("locations:RECEIVER", Fault.NONE);
        }
    }

    @Test
    void transientFailuresAreRetriedAndFinalFailuresRecordedAndReplayable() {
        SimulatedPlatform failing = emsps.get(1);
        PartyRole failingRole = emspRoles.get(1);
        failing.moduleFaults("locations:RECEIVER", Fault.REFUSE_500);
        String id = "BC-FAIL";
        push("PUT", locationUrl(id), OcpiSamples.location(cpoRole, id, OcpiSamples.seedTime(40)).toString(),
                "fail-corr-1");
        // 4 attempts, then the failure is on record for the operator
        failing.awaitRequests(r -> r.path().endsWith("/" + id), 4, WAIT);
        AdminClient admin = hub.admin();
        JsonNode failure = await().atMost(WAIT).until(() -> findFailure(admin, "fail-corr-1", failingRole),
                f -> f != null);
        assertThat(failure.get("attempts").asInt()).isEqualTo(4);
        assertThat(failure.get("last_error").asString()).contains("HTTP 500");
        assertThat(failure.get("module").asString()).isEqualTo("locations");
        assertThat(failure.get("status").asString()).isEqualTo("FAILED");

        failing.moduleFaults("locations:RECEIVER", Fault.NONE);
        failing.clearReceived();
        AdminClient.Answer replayed = admin.post("/deliveries/" + failure.get("id").asString() + "/replay", null);

        assertThat(replayed.status()).isEqualTo(200);
        assertThat(replayed.text("status")).isEqualTo("REPLAYED");
        RecordedRequest arrived = failing.awaitRequest(r -> r.path().endsWith("/" + id), WAIT);
        assertThat(arrived.header("X-Correlation-ID")).isEqualTo("fail-corr-1");
        assertThat(arrived.header("OCPI-from-party-id")).isEqualTo("HUB");
    }

    @Test
    void aReceiverAnsweringMoreThanTheHubHoldsFailsTheDeliveryNamingIt() {
        // the hub reads a delivery's answer whole, at most hub.http.max-answer-size (1 MB by default): a receiver
        // answering 2 MB gets its delivery failed, in operator words, after the retries
        String id = "BC-HUGE";
        String huge = "{\"status_code\":1000,\"data\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}";
        PartyRole role = Parties.emsp();
        SimulatedPlatform loud = SimulatedPlatform.builder().name("bc-loud").role(role)
                .modules("locations:RECEIVER")
                .route("*", SimulatedPlatform.modulePath("locations", "RECEIVER") + "/**",
                        request -> Mono.just(request.recorded().path().endsWith("/" + id) ? OcpiReply.raw(200, huge)
                                : OcpiReply.ok(null)))
                .start();
        String loudId = null;
        try {
            loudId = RoutingParties.registerWith(hub, loud, role);
            push("PUT", locationUrl(id), OcpiSamples.location(cpoRole, id, OcpiSamples.seedTime(45)).toString(),
                    "huge-corr-1");
            JsonNode failure = await().atMost(WAIT).until(() -> findFailure(hub.admin(), "huge-corr-1", role),
                    f -> f != null);
            assertThat(failure.get("last_error").asString()).isEqualTo("the receiver's answer is too large");
            assertThat(failure.get("attempts").asInt()).isEqualTo(4);
            // the other receivers got it as usual
            emsps.forEach(e -> e.awaitRequest(r -> r.path().endsWith("/" + id), WAIT));
        } finally {
            if (loudId != null) {
                RoutingParties.removeFrom(hub, loud, loudId); // later pushes of the shared hub never go to a dead port
            }
            loud.close();
        }
    }

    @Test
    void aReceiverThatRecoversWithinTheRetriesGetsThePush() {
        SimulatedPlatform flaky = emsps.get(2);
        flaky.moduleFaults("locations:RECEIVER", Fault.REFUSE_500);
        String id = "BC-FLAKY";
        push("PUT", locationUrl(id), OcpiSamples.location(cpoRole, id, OcpiSamples.seedTime(50)).toString(),
                "flaky-1");
        flaky.awaitRequest(r -> r.path().endsWith("/" + id), WAIT);
        flaky.moduleFaults("locations:RECEIVER", Fault.NONE);
        await().atMost(WAIT).until(() -> flaky.receivedObjects("locations").get(cpoRole.countryCode() + "/"
                + cpoRole.partyId() + "/" + id).isPresent());
        assertThat(findFailure(hub.admin(), "flaky-1", emspRoles.get(2))).isNull();
    }

    @Test
    void tokensFromAnEmspGoToCposOnly() {
        PartyRole emspRole = emspRoles.get(0);
        SimulatedPlatform emsp = emsps.get(0);
        String url = emsp.hubEndpoints().get("tokens:RECEIVER") + "/" + emspRole.countryCode() + "/"
                + emspRole.partyId() + "/BC-TOKEN-1";
        SimulatedResponse accepted = emsp.call("PUT", url, OcpiSamples.token(emspRole, "BC-TOKEN-1",
                OcpiSamples.seedTime(60)).toString(), RoutingParties.route(emspRole, HUB)).block(WAIT);

        assertThat(accepted.statusCode()).isEqualTo(1000);
        cpo.awaitRequest(r -> r.path().endsWith("/BC-TOKEN-1"), WAIT);
        otherCpo.awaitRequest(r -> r.path().endsWith("/BC-TOKEN-1"), WAIT);
        assertThat(emsps.get(1).received()).noneMatch(r -> r.path().contains("BC-TOKEN-1")
                && addressedTo(r, emspRoles.get(1)));
    }

    @Test
    void onlyTheDataOwnerMayBroadcast() {
        PartyRole emspRole = emspRoles.get(0);
        String url = emsps.get(0).hubEndpoints().get("locations:RECEIVER") + "/" + emspRole.countryCode() + "/"
                + emspRole.partyId() + "/BC-NOT-MINE";
        SimulatedResponse refused = emsps.get(0).call("PUT", url, OcpiSamples.location(emspRole, "BC-NOT-MINE",
                OcpiSamples.seedTime(70)).toString(), RoutingParties.route(emspRole, HUB)).block(WAIT);
        assertThat(refused.httpStatus()).isEqualTo(403);
        assertThat(refused.statusCode()).isEqualTo(2001);
        assertThat(refused.statusMessage()).contains("OCPI-from " + emspRole.countryCode() + "/" + emspRole.partyId()
                + " is EMSP", "locations RECEIVER", "CPO, NAP");
    }

    private static boolean addressedTo(RecordedRequest request, PartyRole party) {
        return party.partyId().equalsIgnoreCase(request.header("OCPI-to-party-id"))
                && party.countryCode().equalsIgnoreCase(request.header("OCPI-to-country-code"));
    }

    private static JsonNode findFailure(AdminClient admin, String correlationId, PartyRole receiver) {
        AdminClient.Answer list = admin.get("/deliveries?status=failed");
        for (JsonNode failure : list.body()) {
            if (correlationId.equals(failure.get("correlation_id").asString())
                    && failure.get("receiver").asString().equals(receiver.countryCode() + "/" + receiver.partyId())) {
                return failure;
            }
        }
        return null;
    }

}
