package org.ocpihub.router.openrouting;

import org.ocpihub.ocpi.module.OwnerKind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.ocpihub.router.pipeline.Contexts.CPO;
import static org.ocpihub.router.pipeline.Contexts.EMSP;
import static org.ocpihub.router.pipeline.Contexts.classified;
import static org.ocpihub.router.pipeline.Contexts.cpo;
import static org.ocpihub.router.pipeline.Contexts.emsp;
import static org.ocpihub.router.pipeline.Contexts.passed;
import static org.ocpihub.router.pipeline.Contexts.receiver;
import static org.ocpihub.router.pipeline.Contexts.relay;
import static org.ocpihub.router.pipeline.Contexts.routed;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.ocpi.version.InterfaceRole;
import org.ocpihub.ocpi.version.ModuleId;
import org.ocpihub.registry.platform.PlatformEndpoint;
import org.ocpihub.router.pipeline.ModuleCall;
import org.ocpihub.router.pipeline.RoutingCase;
import org.ocpihub.router.pipeline.Contexts;
import org.ocpihub.router.pipeline.RoutingContext;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

/** LEARN_OWNERS: what passes feeds the owner indexes; the request goes on unchanged. */
class OwnerLearningTest {

    /** What the step taught the index (the index's database write is what the end-to-end tests cover). */
    private final List<String> learned = new CopyOnWriteArrayList<>();
    private final OwnerLearning step = new OwnerLearning(new OwnerIndex(null) {
        @Override
        public void learn(OwnerKind kind, String objectId, PartyId owner) {
            learned.add(kind + " " + objectId + " " + owner);
        }
    });

    @Test
    void aSessionPushTeachesItsCpoAndItsEmsp() {
        RoutingContext session = classified(routed(MockServerHttpRequest.put(
                "/ocpi/2.2.1/sessions/receiver/NL/CPO/S1"), CPO, EMSP).build(), cpo(), RoutingCase.DIRECT)
                .withReceiver(receiver(EMSP, new PlatformEndpoint(ModuleId.SESSIONS, InterfaceRole.RECEIVER,
                        "https://emsp.example/sessions")));

        assertThat(passed(step.apply(session))).isSameAs(session);
        assertThat(learned).containsExactly("SESSION_CPO S1 NL/CPO", "SESSION_EMSP S1 DE/EMS");
    }

    @Test
    void aReservationTeachesTheCpoHoldingIt() {
        RoutingContext reserve = classified(routed(MockServerHttpRequest.post(
                "/ocpi/2.2.1/commands/receiver/RESERVE_NOW"), EMSP, CPO).build(), emsp(), RoutingCase.DIRECT)
                .withReceiver(receiver(CPO, new PlatformEndpoint(ModuleId.COMMANDS, InterfaceRole.RECEIVER,
                        "https://cpo.example/commands")))
                .withBody("{\"reservation_id\":\"R1\"}".getBytes(StandardCharsets.UTF_8),
                        Contexts.tree("{\"reservation_id\":\"R1\"}"));

        passed(step.apply(reserve));
        assertThat(learned).containsExactly("RESERVATION R1 NL/CPO");
    }

    @Test
    void aGetOrARelayCallTeachesNothing() {
        passed(step.apply(classified(routed(MockServerHttpRequest.get("/ocpi/2.2.1/tokens/receiver/NL/CPO/T1"), EMSP,
                CPO).build(), emsp(), RoutingCase.DIRECT)));
        // even a relay context shaped like a session push: a relay call names no object of its own
        passed(step.apply(relay(routed(MockServerHttpRequest.put("/ocpi/2.2.1/relay/r1"), CPO, EMSP).build(), cpo(),
                new ModuleCall(ModuleId.SESSIONS, InterfaceRole.RECEIVER, "/NL/CPO/S1", List.of("NL", "CPO", "S1")),
                null)));
        assertThat(learned).isEmpty();
    }
}
