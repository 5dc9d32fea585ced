package org.ocpihub.router.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ocpihub.router.pipeline.Contexts.CPO;
import static org.ocpihub.router.pipeline.Contexts.EMSP;
import static org.ocpihub.router.pipeline.Contexts.HUB;
import static org.ocpihub.router.pipeline.Contexts.assertRefused;
import static org.ocpihub.router.pipeline.Contexts.cpo;
import static org.ocpihub.router.pipeline.Contexts.passed;
import static org.ocpihub.router.pipeline.Contexts.read;
import static org.ocpihub.router.pipeline.Contexts.relay;
import static org.ocpihub.router.pipeline.Contexts.routed;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.ocpihub.ocpi.OcpiStatus;
import org.ocpihub.ocpi.version.InterfaceRole;
import org.ocpihub.ocpi.version.ModuleId;
import org.ocpihub.router.pipeline.ModuleCall;
import org.ocpihub.router.pipeline.RoutingCase;
import org.ocpihub.router.pipeline.RoutingContext;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

/** CLASSIFY: the D2 table on the request as received; a REFUSED row answers 2001 naming the rule. */
class CaseClassificationTest {

    private final CaseClassification step = new CaseClassification();

    private RoutingCase classified(MockServerHttpRequest request) {
        return passed(step.apply(read(request, cpo()))).classification().routingCase();
    }

    @Test
    void theTableDecidesTheCase() {
        assertThat(classified(routed(MockServerHttpRequest.get("/ocpi/2.2.1/tariffs/receiver/DE/EMS/T1"), CPO, EMSP)
                .build())).isEqualTo(RoutingCase.DIRECT);
        assertThat(classified(routed(MockServerHttpRequest.put("/ocpi/2.2.1/locations/receiver/NL/CPO/L1"), CPO, HUB)
                .build())).isEqualTo(RoutingCase.BROADCAST);
        assertThat(classified(routed(MockServerHttpRequest.get("/ocpi/2.2.1/tokens/sender"), CPO, HUB).build()))
                .isEqualTo(RoutingCase.GET_ALL);
        assertThat(classified(routed(MockServerHttpRequest.post("/ocpi/2.2.1/cdrs/receiver"), CPO, null).build()))
                .isEqualTo(RoutingCase.OPEN_ROUTING);
    }

    @Test
    void aRefusedRowAnswers2001NamingTheRule() {
        assertRefused(step.apply(read(routed(MockServerHttpRequest.get("/ocpi/2.2.1/locations/sender"), CPO, null)
                        .build(), cpo())), HttpStatus.OK, OcpiStatus.INVALID_OR_MISSING_PARAMETERS,
                "a list GET cannot be open-routed: send OCPI-to headers (to the hub for GET All via the hub, "
                        + "TF 4.1.8.4)");
        assertRefused(step.apply(read(routed(MockServerHttpRequest.put("/ocpi/2.2.1/sessions/receiver/NL/CPO/S1"),
                        CPO, HUB).build(), cpo())), HttpStatus.OK, OcpiStatus.INVALID_OR_MISSING_PARAMETERS,
                "sessions and CDRs concern one party and cannot be broadcast (TF 4.1.8.3): address the receiver");
    }

    @Test
    void aRelayCallKeepsTheClassificationItsRelayGave() {
        RoutingContext relayed = relay(routed(MockServerHttpRequest.post("/ocpi/2.2.1/relay/r1"), CPO, EMSP).build(),
                cpo(), new ModuleCall(ModuleId.COMMANDS, InterfaceRole.SENDER, "", List.of()), null);
        assertThat(passed(step.apply(relayed))).isSameAs(relayed);
    }
}
