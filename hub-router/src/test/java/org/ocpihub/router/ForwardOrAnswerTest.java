package org.ocpihub.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ocpihub.router.pipeline.Contexts.CPO;
import static org.ocpihub.router.pipeline.Contexts.EMSP;
import static org.ocpihub.router.pipeline.Contexts.HUB;
import static org.ocpihub.router.pipeline.Contexts.assertRefused;
import static org.ocpihub.router.pipeline.Contexts.classified;
import static org.ocpihub.router.pipeline.Contexts.cpo;
import static org.ocpihub.router.pipeline.Contexts.passed;
import static org.ocpihub.router.pipeline.Contexts.relay;
import static org.ocpihub.router.pipeline.Contexts.routed;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.ocpihub.ocpi.OcpiStatus;
import org.ocpihub.ocpi.version.InterfaceRole;
import org.ocpihub.ocpi.version.ModuleId;
import org.ocpihub.router.pipeline.HubOwnedRequests;
import org.ocpihub.router.pipeline.ModuleCall;
import org.ocpihub.router.pipeline.RoutingCase;
import org.ocpihub.router.pipeline.RoutingContext;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

import reactor.core.publisher.Mono;

/**
 * FORWARD_OR_ANSWER without a receiver: the hub answers through the {@link HubOwnedRequests} of the case, a relay
 * whose owner is gone is 4003. Forwarding itself is Forwarder's (its own tests against a real server, and the
 * end-to-end routing tests).
 */
class ForwardOrAnswerTest {

    private final List<RoutingCase> answered = new CopyOnWriteArrayList<>();
    private final HubOwnedRequests broadcasts = new HubOwnedRequests() {
        @Override
        public boolean handles(RoutingCase routingCase) {
            return routingCase == RoutingCase.BROADCAST;
        }

        @Override
        public Mono<Void> handle(RoutingContext context) {
            answered.add(context.classification().routingCase());
            return Mono.empty();
        }
    };
    private final ForwardOrAnswer step = new ForwardOrAnswer(null, List.of(broadcasts), null, null);

    @Test
    void theHubAnswersWhatItOwns() {
        RoutingContext push = classified(routed(MockServerHttpRequest.put("/ocpi/2.2.1/locations/receiver/NL/CPO/L1"),
                CPO, HUB).build(), cpo(), RoutingCase.BROADCAST);

        assertThat(passed(step.apply(push))).isSameAs(push);
        assertThat(answered).containsExactly(RoutingCase.BROADCAST);
    }

    @Test
    void aCaseNoOneAnswersIs2001() {
        assertRefused(step.apply(classified(routed(MockServerHttpRequest.get("/ocpi/2.2.1/tokens/sender"), CPO, HUB)
                        .build(), cpo(), RoutingCase.GET_ALL)), HttpStatus.OK,
                OcpiStatus.INVALID_OR_MISSING_PARAMETERS, "GET_ALL is not supported by this hub yet");
        assertThat(answered).isEmpty();
    }

    @Test
    void aRelayWhoseOwnerIsNotConnectedIs4003AfterTheChecks() {
        RoutingContext relayed = relay(routed(MockServerHttpRequest.post("/ocpi/2.2.1/relay/r1"), CPO, EMSP).build(),
                cpo(), new ModuleCall(ModuleId.COMMANDS, InterfaceRole.SENDER, "", List.of()), null);

        assertRefused(step.apply(relayed), HttpStatus.OK, OcpiStatus.CONNECTION_PROBLEM,
                "receiver NL/CPO is not connected");
        assertThat(answered).isEmpty();
    }
}
