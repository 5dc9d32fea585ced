package org.ocpihub.app.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ocpihub.app.support.RoutingParties.WAIT;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ocpihub.app.support.Parties;
import org.ocpihub.app.support.RoutingParties;
import org.ocpihub.app.support.SharedPartiesPerClass;
import org.ocpihub.app.support.RunningHub;
import org.ocpihub.testkit.party.Fault;
import org.ocpihub.testkit.party.OcpiSamples;
import org.ocpihub.testkit.party.PartyRole;
import org.ocpihub.testkit.party.SimulatedPlatform;
import org.ocpihub.testkit.party.SimulatedResponse;

/**
 * Every way routing fails gets a clear OCPI answer (D4): hub errors 4000-4003 as HTTP 200 from the hub, bad
 * headers and paths 400/2001, spoofing 403/2001, and nothing of a member's URL or token in any answer.
 */
class RoutingErrorsTest extends SharedPartiesPerClass {

    private SimulatedResponse emspGet(String moduleInterface, String suffix, Map<String, String> headers) {
        return parties.emsp.call("GET", parties.hub(moduleInterface) + suffix, null, headers).block(WAIT);
    }

    private static void assertHubError(SimulatedResponse answer, int status, String messagePart) {
        assertThat(answer.httpStatus()).isEqualTo(200);
        assertThat(answer.statusCode()).isEqualTo(status);
        assertThat(answer.statusMessage()).contains(messagePart);
        assertThat(answer.header("OCPI-from-party-id")).isEqualTo("HUB");
        assertThat(answer.header("OCPI-from-country-code")).isEqualTo("NL");
        assertThat(answer.body().get("timestamp").asString()).endsWith("Z");
        assertNoMemberDetails(answer);
    }

    private static void assertNoMemberDetails(SimulatedResponse answer) {
        assertThat(answer.rawBody()).doesNotContain(parties.cpo.baseUrl()).doesNotContain(parties.emsp.baseUrl())
                .doesNotContain(parties.cpo.tokenIssuedToHub().orElseThrow())
                .doesNotContain("Exception").doesNotContain("at org.");
    }

    @Test
    void anUnknownReceiverIs4001NamingTheParty() {
        PartyRole nobody = new PartyRole("CPO", "ZZ", "NOB", "Nobody");
        assertHubError(emspGet("locations:SENDER", "/LOC1", RoutingParties.route(parties.emspRole, nobody)),
                4001, "ZZ/NOB");
    }

    @Test
    void aReceiverNotConnectedIs4003() {
        PartyRole planned = Parties.cpo();
        hub.admin().createPlatform("planned", List.of(planned));
        assertHubError(emspGet("locations:SENDER", "/LOC1", RoutingParties.route(parties.emspRole, planned)),
                4003, "PLANNED");
    }

    @Test
    void aSuspendedReceiverIs4003() {
        PartyRole role = Parties.cpo();
        try (SimulatedPlatform cpo = RoutingParties.cpo(role)) {
            String id = RoutingParties.registerWith(hub, cpo, role);
            hub.admin().post("/platforms/" + id + "/suspend", null);
            assertHubError(emspGet("locations:SENDER", "/LOC1", RoutingParties.route(parties.emspRole, role)),
                    4003, "SUSPENDED");
        }
    }

    @Test
    void aReceiverWithoutTheEndpointIs4001SayingSo() {
        PartyRole role = Parties.cpo();
        try (SimulatedPlatform cpo = SimulatedPlatform.builder().name("no-tariffs").role(role)
                .modules("locations:SENDER").start()) {
            RoutingParties.registerWith(hub, cpo, role);
            assertHubError(emspGet("tariffs:SENDER", "", RoutingParties.route(parties.emspRole, role)),
                    4001, "offers no tariffs SENDER endpoint");
        }
    }

    @Test
    void aReceiverThatDoesNotAnswerInTimeIs4002() {
        parties.cpo.moduleFaults("tariffs:SENDER", Fault.slow(Duration.ofSeconds(4)));
        try {
            long started = System.nanoTime();
            SimulatedResponse answer = emspGet("tariffs:SENDER", "", parties.emspToCpo());
            assertHubError(answer, 4002, "did not answer within 2 s");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
        } finally {
            parties.cpo.moduleFaults("tariffs:SENDER", Fault.NONE);
        }
    }

    @Test
    void aReceiverThatIsDownIs4003() {
        PartyRole role = Parties.cpo();
        SimulatedPlatform cpo = RoutingParties.cpo(role);
        RoutingParties.registerWith(hub, cpo, role);
        cpo.close();
        // refused on a new connection, or cut on a kept-alive one: both are a receiver that is down
        SimulatedResponse answer = emspGet("locations:SENDER", "/LOC1", RoutingParties.route(parties.emspRole, role));
        assertHubError(answer, 4003, "receiver " + role.countryCode() + "/" + role.partyId());
        assertThat(answer.statusMessage()).containsAnyOf("cannot connect", "closed the connection");
    }

    @ParameterizedTest
    @CsvSource({"GARBAGE_JSON, 4000, not an OCPI response", "CLOSE_CONNECTION, 4003, closed the connection"})
    void aReceiverAnsweringGarbageOrHangingUpGetsAClearHubError(String fault, int status, String message) {
        Fault chosen = "GARBAGE_JSON".equals(fault) ? Fault.GARBAGE_JSON : Fault.CLOSE_CONNECTION;
        parties.cpo.moduleFaults("locations:SENDER", chosen);
        try {
            assertHubError(emspGet("locations:SENDER", "/LOC1", parties.emspToCpo()), status, message);
        } finally {
            parties.cpo.moduleFaults("locations:SENDER", Fault.NONE);
        }
    }

    @Test
    void aReceivers500IsPassedThrough() {
        parties.cpo.moduleFaults("locations:SENDER", Fault.REFUSE_500);
        try {
            SimulatedResponse answer = emspGet("locations:SENDER", "/LOC1", parties.emspToCpo());
            assertThat(answer.httpStatus()).isIn(500, 200);
            assertNoMemberDetails(answer);
        } finally {
            parties.cpo.moduleFaults("locations:SENDER", Fault.NONE);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "OCPI-from-party-id|     | header OCPI-from-party-id is missing",
            "OCPI-from-party-id| TOOLONG | header OCPI-from-party-id must be at most 3",
            "OCPI-to-country-code| NLD | header OCPI-to-country-code must be at most 2",
            "OCPI-to-country-code|     | header OCPI-to-country-code is missing"})
    void malformedRoutingHeadersAre400NamingTheHeader(String header, String value, String message) {
        Map<String, String> headers = RoutingParties.with(parties.emspToCpo(), header, value == null ? null : value);
        SimulatedResponse answer = emspGet("locations:SENDER", "/LOC1", headers);
        assertThat(answer.httpStatus()).isEqualTo(400);
        assertThat(answer.statusCode()).isEqualTo(2001);
        assertThat(answer.statusMessage()).contains(message);
    }

    @Test
    void aFromPairThatIsNotTheCallersIs403() {
        Map<String, String> spoofed = RoutingParties.route(parties.cpoRole, parties.cpoRole);
        SimulatedResponse answer = emspGet("locations:SENDER", "/LOC1", spoofed);
        assertThat(answer.httpStatus()).isEqualTo(403);
        assertThat(answer.statusCode()).isEqualTo(2001);
        assertThat(answer.statusMessage()).contains("is not a party of the calling platform");
    }

    @Test
    void aClientOwnedObjectUrlOrBodyForAnotherOwnerIs403AndNothingIsSent() {
        String base = parties.hub("locations:RECEIVER") + "/";
        var location = OcpiSamples.location(parties.cpoRole, "LOC-SPOOF", OcpiSamples.seedTime(1));
        SimulatedResponse urlMismatch = parties.cpo.call("PUT", base + "DE/XXX/LOC-SPOOF", location.toString(),
                parties.cpoToEmsp()).block(WAIT);
        assertThat(urlMismatch.httpStatus()).isEqualTo(403);
        assertThat(urlMismatch.statusMessage()).contains("URL party DE/XXX differs from OCPI-from");

        location.put("party_id", "XXX");
        SimulatedResponse bodyMismatch = parties.cpo.call("PUT", base + parties.cpoRole.countryCode() + "/"
                + parties.cpoRole.partyId() + "/LOC-SPOOF", location.toString(), parties.cpoToEmsp()).block(WAIT);
        assertThat(bodyMismatch.httpStatus()).isEqualTo(403);
        assertThat(bodyMismatch.statusMessage()).contains("field party_id 'XXX' is not the sender's");

        location.put("party_id", parties.cpoRole.partyId());
        location.put("id", "OTHER");
        SimulatedResponse idMismatch = parties.cpo.call("PUT", base + parties.cpoRole.countryCode() + "/"
                + parties.cpoRole.partyId() + "/LOC-SPOOF", location.toString(), parties.cpoToEmsp()).block(WAIT);
        // an id differing from the URL's is a content error of an authorized sender: HTTP 200 (SC 5)
        assertThat(idMismatch.httpStatus()).isEqualTo(200);
        assertThat(idMismatch.statusCode()).isEqualTo(2001);
        assertThat(idMismatch.statusMessage()).contains("field id 'OTHER' differs");
        assertThat(parties.emsp.received()).noneMatch(r -> r.path().contains("LOC-SPOOF"));
    }

    @Test
    void badBodiesAndPathsAreRefusedBeforeForwarding() {
        String url = parties.hub("locations:RECEIVER") + "/" + parties.cpoRole.countryCode() + "/"
                + parties.cpoRole.partyId() + "/LOC-BAD";
        SimulatedResponse notJson = parties.cpo.call("PUT", url, "{not json", parties.cpoToEmsp()).block(WAIT);
        assertThat(notJson.httpStatus()).isEqualTo(400);
        assertThat(notJson.statusCode()).isEqualTo(2001);

        SimulatedResponse tooLarge = parties.cpo.call("PUT", url, "{\"x\":\"" + "a".repeat(2_000_000) + "\"}",
                parties.cpoToEmsp()).block(WAIT);
        assertThat(tooLarge.httpStatus()).isEqualTo(413);

        SimulatedResponse traversal = parties.emsp.call("GET", parties.hub("locations:SENDER") + "/%2e%2e/credentials",
                null, parties.emspToCpo()).block(WAIT);
        assertThat(traversal.httpStatus()).isEqualTo(400);
        // refused by the edge firewall before routing (issue 7 item 1; EdgePathTest tries every spelling)
        assertThat(traversal.statusMessage()).contains("is ambiguous and was refused");

        SimulatedResponse unknownModule = parties.emsp.call("GET", hub.url() + "/ocpi/2.2.1/parking/sender", null,
                parties.emspToCpo()).block(WAIT);
        assertThat(unknownModule.httpStatus()).isEqualTo(404);
        assertThat(unknownModule.body().get("status_code").asInt()).isEqualTo(2000);
        assertThat(parties.emsp.received()).noneMatch(r -> r.path().contains("LOC-BAD"));
    }

    @Test
    void requestsTheHubDoesNotTakeNameTheRule() {
        PartyRole hubParty = new PartyRole("HUB", "NL", "HUB", "hub");
        SimulatedResponse sessionToHub = parties.cpo.call("PUT", parties.hub("sessions:RECEIVER") + "/"
                        + parties.cpoRole.countryCode() + "/" + parties.cpoRole.partyId() + "/S1",
                OcpiSamples.session(parties.cpoRole, "S1", parties.emspRole, "T", OcpiSamples.seedTime(1)).toString(),
                RoutingParties.route(parties.cpoRole, hubParty)).block(WAIT);
        assertHubError(sessionToHub, 2001, "TF 4.1.8.3");
    }

    @Test
    void overTheRateLimitIs429AndAnOpenCircuitIs4003() {
        try (RunningHub limited = RunningHub.start(Map.of("hub.routing.rate-limit", "3",
                "hub.routing.circuit-breaker-window", "4", "hub.routing.circuit-breaker-open-for", "60s"))) {
            PartyRole emspRole = Parties.emsp();
            PartyRole downRole = Parties.cpo();
            try (SimulatedPlatform emsp = SimulatedPlatform.builder().name("limited-emsp").role(emspRole)
                    .modules("locations:RECEIVER").start()) {
                RoutingParties.registerWith(limited, emsp, emspRole);
                SimulatedPlatform down = RoutingParties.cpo(downRole);
                RoutingParties.registerWith(limited, down, downRole);
                down.close();
                String url = emsp.hubEndpoints().get("locations:SENDER") + "/LOC1";
                Map<String, String> headers = RoutingParties.route(emspRole, downRole);

                List<SimulatedResponse> answers = new java.util.ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    answers.add(emsp.call("GET", url, null, headers).block(WAIT));
                }
                assertThat(answers).anySatisfy(a -> {
                    assertThat(a.httpStatus()).isEqualTo(429);
                    assertThat(a.header("Retry-After")).isEqualTo("1");
                    assertThat(a.statusMessage()).contains("rate limit");
                });
                // the rate limit is per second: keep calling at a sustainable pace until the circuit opens
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(400))
                        .until(() -> {
                            SimulatedResponse a = emsp.call("GET", url, null, headers).block(WAIT);
                            return a.statusCode() == 4003 && a.statusMessage().contains("circuit open");
                        });
            }
        }
    }
}
