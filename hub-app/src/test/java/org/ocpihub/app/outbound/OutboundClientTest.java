package org.ocpihub.app.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ocpihub.app.support.Parties;
import org.ocpihub.app.support.RawHttp;
import org.ocpihub.app.support.RoutingParties;
import org.ocpihub.app.support.RunningHub;
import org.ocpihub.broadcast.delivery.DeliveryHttpClients;
import org.ocpihub.registry.outbound.OutboundHttpClients;
import org.ocpihub.testkit.party.Fault;
import org.ocpihub.testkit.party.OcpiSamples;
import org.ocpihub.testkit.party.PartyRole;
import org.ocpihub.testkit.party.SimulatedPlatform;
import org.ocpihub.testkit.party.SimulatedResponse;

import reactor.core.publisher.Flux;

/**
 * The one outbound client and the one failure rule, end to end: a member answering HTTP 500 opens its circuit
 * breaker after the window (as a refused connection does) and is retried by broadcast deliveries; the pool of calls
 * to members reports its metrics on {@code /actuator/prometheus}.
 */
class OutboundClientTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final PartyRole HUB = new PartyRole("HUB", "NL", "HUB", "hub");

    private static RunningHub hub;
    private static PartyRole emspRole;
    private static SimulatedPlatform emsp;
    private static PartyRole cpoRole;
    private static SimulatedPlatform cpo;

    @BeforeAll
    static void start() {
        hub = RunningHub.start(Map.of("hub.routing.circuit-breaker-window", "4",
                "hub.routing.circuit-breaker-open-for", "60s"));
        emspRole = Parties.emsp();
        emsp = SimulatedPlatform.builder().name("outbound-emsp").role(emspRole)
                .modules("locations:RECEIVER", "tokens:SENDER").start();
        RoutingParties.registerWith(hub, emsp, emspRole);
        cpoRole = Parties.cpo();
        cpo = RoutingParties.cpo(cpoRole);
        RoutingParties.registerWith(hub, cpo, cpoRole);
    }

    @AfterAll
    static void stop() {
        emsp.close();
        cpo.close();
        hub.close();
    }

    @Test
    void aReceiverAnswering500OpensItsBreakerAfterTheWindow() {
        cpo.moduleFaults("locations:SENDER", Fault.REFUSE_500);
        try {
            String url = emsp.hubEndpoints().get("locations:SENDER") + "/LOC1";
            Map<String, String> headers = RoutingParties.route(emspRole, cpoRole);
            List<SimulatedResponse> answers = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                answers.add(emsp.call("GET", url, null, headers).block(WAIT));
            }

            // the window is 4 calls: each 500 is relayed as it came and counted, then the circuit is open
            for (SimulatedResponse answer : answers.subList(0, 4)) {
                assertThat(answer.httpStatus()).isEqualTo(500);
                assertThat(answer.statusCode()).isEqualTo(3000);
            }
            assertThat(answers.get(4).statusCode()).isEqualTo(4003);
            assertThat(answers.get(4).statusMessage()).contains("circuit open");
            assertThat(cpo.received().stream().filter(r -> r.path().endsWith("/LOC1")).count())
                    .as("an open circuit calls nobody").isEqualTo(4);
        } finally {
            cpo.moduleFaults("locations:SENDER", Fault.NONE);
        }
    }

    @Test
    void aDeliveryAnswered500IsRetried() {
        emsp.moduleFaults("locations:RECEIVER", Fault.REFUSE_500);
        try {
            String id = "OUT-500";
            String url = cpo.hubEndpoints().get("locations:RECEIVER") + "/" + cpoRole.countryCode() + "/"
                    + cpoRole.partyId() + "/" + id;
            SimulatedResponse accepted = cpo.call("PUT", url,
                    OcpiSamples.location(cpoRole, id, OcpiSamples.seedTime(70)).toString(),
                    RoutingParties.route(cpoRole, HUB)).block(WAIT);
            assertThat(accepted.statusCode()).isEqualTo(1000);

            // the same rule as the breaker's: a 500 is the receiver's failure, so the delivery tries again
            assertThat(emsp.awaitRequests(r -> r.path().endsWith("/" + id), 2, WAIT)).hasSizeGreaterThanOrEqualTo(2);
        } finally {
            emsp.moduleFaults("locations:RECEIVER", Fault.NONE);
        }
    }

    @Test
    void thePoolsOfCallsToMembersReportTheirMetricsOnPrometheus() {
        // the registrations above went through the routing pool (versions, details, credentials); the CPO's
        // ClientInfo list (it registered after the eMSP) through the deliveries' pool
        await().atMost(WAIT).untilAsserted(() -> {
            try (RawHttp connection = RawHttp.to(hub.url(), 10_000)) {
                RawHttp.Response answer = connection.get("/actuator/prometheus", "Bearer " + hub.adminToken());
                assertThat(answer.status()).isEqualTo(200);
                assertThat(answer.body()).contains("reactor_netty_connection_provider_total_connections",
                        "reactor_netty_connection_provider_pending_connections",
                        "name=\"" + OutboundHttpClients.POOL_NAME + "\"",
                        "name=\"" + DeliveryHttpClients.POOL_NAME + "\"");
            }
        });
    }

    /**
     * Broadcast deliveries have their own connection pool and event loops ({@code hub.broadcast.delivery-threads}):
     * a member holding a delivery still gets a routed call at once. Here one connection per member; the CPO holds a
     * Token delivery for 30 s. With one pool ({@code delivery-threads=0}) the eMSP's routed GET waited for the one
     * connection, taken by the delivery, until routing gave up (4002 "did not answer within 10 s"); with the
     * delivery pool apart it is answered.
     */
    @Test
    void aRoutedCallToAMemberHoldingADeliveryIsNotQueuedBehindIt() {
        PartyRole heldEmspRole = Parties.emsp();
        PartyRole heldCpoRole = Parties.cpo();
        try (RunningHub small = RunningHub.start(Map.of("hub.outbound.max-connections", "1",
                "hub.broadcast.delivery-timeout", "60s"));
             // no hubclientinfo receivers: only the Token delivery and the routed GET reach the CPO
             SimulatedPlatform heldCpo = SimulatedPlatform.builder().name("held-cpo").role(heldCpoRole)
                     .modules("locations:SENDER", "tokens:RECEIVER").start().seedLocations(1);
             SimulatedPlatform heldEmsp = SimulatedPlatform.builder().name("held-emsp").role(heldEmspRole)
                     .modules("tokens:SENDER").start()) {
            RoutingParties.registerWith(small, heldCpo, heldCpoRole);
            RoutingParties.registerWith(small, heldEmsp, heldEmspRole);
            heldCpo.moduleFaults("tokens:RECEIVER", Fault.slow(Duration.ofSeconds(30)));
            String tokenUrl = heldEmsp.hubEndpoints().get("tokens:RECEIVER") + "/" + heldEmspRole.countryCode() + "/"
                    + heldEmspRole.partyId() + "/TOK-HELD";
            SimulatedResponse accepted = heldEmsp.call("PUT", tokenUrl, OcpiSamples.token(heldEmspRole, "TOK-HELD",
                    OcpiSamples.seedTime(80)).toString(), RoutingParties.route(heldEmspRole, HUB)).block(WAIT);
            assertThat(accepted.statusCode()).isEqualTo(1000);
            heldCpo.awaitRequest(r -> r.path().endsWith("/TOK-HELD"), WAIT); // the CPO now holds it for 30 s

            SimulatedResponse routed = heldEmsp.call("GET", heldEmsp.hubEndpoints().get("locations:SENDER")
                    + "/LOC0001", null, RoutingParties.route(heldEmspRole, heldCpoRole)).block(WAIT);

            assertThat(routed.statusCode()).as(routed.statusMessage()).isEqualTo(1000);
            assertThat(routed.data().path("id").asString()).isEqualTo("LOC0001");
        }
    }

    /**
     * Attack 8: the pending-acquire queue is bounded ({@code hub.outbound.pending-acquire-max-count}); a call that finds
     * it full is refused at once with 4003 naming the receiver, not 4000 "failed unexpectedly" (and no stack trace
     * per refused call in the log). Here one connection per member and one waiting call: of three concurrent calls to
     * a slow CPO, one is answered, one waits for the connection and is answered, one is refused.
     */
    @Test
    void aCallFindingTheQueueForAMemberFullIsRefused4003NamingIt() {
        PartyRole queueEmspRole = Parties.emsp();
        PartyRole queueCpoRole = Parties.cpo();
        try (RunningHub small = RunningHub.start(Map.of("hub.outbound.max-connections", "1",
                "hub.outbound.pending-acquire-max-count", "1"));
             // no hubclientinfo receivers: no delivery holds the one connection while the calls below are made
             SimulatedPlatform queueEmsp = SimulatedPlatform.builder().name("queue-emsp").role(queueEmspRole)
                     .modules("locations:RECEIVER").start();
             SimulatedPlatform queueCpo = SimulatedPlatform.builder().name("queue-cpo").role(queueCpoRole)
                     .modules("locations:SENDER").start()) {
            RoutingParties.registerWith(small, queueCpo, queueCpoRole);
            RoutingParties.registerWith(small, queueEmsp, queueEmspRole);
            queueCpo.moduleFaults("locations:SENDER", Fault.slow(Duration.ofSeconds(2)));
            String url = queueEmsp.hubEndpoints().get("locations:SENDER") + "/LOC1";
            Map<String, String> headers = RoutingParties.route(queueEmspRole, queueCpoRole);

            List<SimulatedResponse> answers = Flux.range(0, 3)
                    .flatMap(i -> queueEmsp.call("GET", url, null, headers))
                    .collectList().block(WAIT);

            assertThat(answers).hasSize(3);
            assertThat(answers).as("refused: the queue of calls waiting for the CPO was full").filteredOn(a ->
                            a.statusCode() == 4003 && a.statusMessage().contains("waiting"))
                    .singleElement().satisfies(refused -> {
                        assertThat(refused.httpStatus()).isEqualTo(200);
                        assertThat(refused.statusMessage()).contains(queueCpoRole.countryCode() + "/"
                                + queueCpoRole.partyId()).doesNotContain("unexpectedly", "Exception");
                    });
            assertThat(answers).as("answered by the CPO").filteredOn(a -> a.statusCode() != 4003
                    && a.statusCode() != 4000).hasSize(2);
        }
    }
}
