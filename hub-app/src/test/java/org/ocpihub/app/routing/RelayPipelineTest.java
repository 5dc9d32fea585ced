package org.ocpihub.app.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ocpihub.app.support.RoutingParties.WAIT;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.ocpihub.app.support.Parties;
import org.ocpihub.app.support.RawHttp;
import org.ocpihub.app.support.RoutingParties;
import org.ocpihub.app.support.RunningHub;
import org.ocpihub.testkit.party.OcpiSamples;
import org.ocpihub.testkit.party.PartyRole;
import org.ocpihub.testkit.party.SimulatedPlatform;
import org.ocpihub.testkit.party.SimulatedResponse;

import tools.jackson.databind.node.ObjectNode;

/**
 * Issue 8 item 3, on the wire: a relay call (here a CommandResult POSTed to the hub URL the CPO was handed as
 * {@code response_url}) goes through the same routing pipeline as a routed call, so it counts in the same rate limit
 * (429 with Retry-After) and in the same routing metric, {@code ocpihub.routing.requests} with {@code case=RELAY} and
 * the relay's module.
 */
class RelayPipelineTest {

    @Test
    void relayCallsCountInTheRateLimitAndInTheRoutingMetric() {
        try (RunningHub limited = RunningHub.start(Map.of("hub.routing.rate-limit", "3"));
             SimulatedPlatform emsp = SimulatedPlatform.builder().name("relay-limit-emsp").role(Parties.emsp())
                     .modules("commands:SENDER").start();
             SimulatedPlatform cpo = SimulatedPlatform.builder().name("relay-limit-cpo").role(Parties.cpo())
                     .modules("commands:RECEIVER").start()) {
            PartyRole emspRole = emsp.roles().get(0);
            PartyRole cpoRole = cpo.roles().get(0);
            RoutingParties.registerWith(limited, cpo, cpoRole);
            RoutingParties.registerWith(limited, emsp, emspRole);

            ObjectNode command = OcpiSamples.token(emspRole, "TOK1", Instant.now()).objectNode()
                    .put("response_url", emsp.commandResultUrl("relay-limit")).put("location_id", "LOC1");
            command.set("token", OcpiSamples.token(emspRole, "TOK1", Instant.now()));
            SimulatedResponse sent = emsp.call("POST", emsp.hubEndpoints().get("commands:RECEIVER")
                    + "/START_SESSION", command.toString(), RoutingParties.route(emspRole, cpoRole)).block(WAIT);
            assertThat(sent.statusCode()).as(sent.rawBody()).isEqualTo(1000);
            String relay = cpo.awaitRequest(r -> r.path().endsWith("/START_SESSION"), WAIT).json()
                    .path("response_url").asString();
            assertThat(relay).startsWith(limited.url() + "/ocpi/2.2.1/relay/");

            List<SimulatedResponse> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                answers.add(cpo.call("POST", relay, "{\"result\":\"ACCEPTED\"}",
                        RoutingParties.route(cpoRole, emspRole)).block(WAIT));
            }

            assertThat(answers).as("relay calls are forwarded until the caller's budget is spent")
                    .anySatisfy(a -> assertThat(a.statusCode()).isEqualTo(1000));
            assertThat(answers).as("then refused like any routed call").anySatisfy(a -> {
                assertThat(a.httpStatus()).isEqualTo(429);
                assertThat(a.header("Retry-After")).isEqualTo("1");
                assertThat(a.statusMessage()).contains("rate limit");
            });
            // a call is recorded when its exchange completes, just after the caller has the answer
            Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                try (RawHttp http = RawHttp.to(limited.url(), 10_000)) {
                    RawHttp.Response metrics = http.get("/actuator/prometheus", "Bearer " + limited.adminToken());
                    assertThat(metrics.status()).isEqualTo(200);
                    List<String> relayed = metrics.body().lines().filter(l -> l.startsWith(
                            "ocpihub_routing_requests_seconds_count") && l.contains("case=\"RELAY\"")).toList();
                    assertThat(relayed).as("relay calls in the routing metric")
                            .anySatisfy(l -> assertThat(l).contains("module=\"commands\"")
                                    .contains("outcome=\"forwarded\""))
                            // the rate limit runs first, before the relay is looked up: its module is not known yet
                            .anySatisfy(l -> assertThat(l).contains("module=\"unknown\"")
                                    .contains("outcome=\"2000\""));
                }
            });
        }
    }
}
