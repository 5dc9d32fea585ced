package org.ocpihub.router.party;

import static org.ocpihub.router.pipeline.Contexts.CPO;
import static org.ocpihub.router.pipeline.Contexts.EMSP;
import static org.ocpihub.router.pipeline.Contexts.assertRefused;
import static org.ocpihub.router.pipeline.Contexts.classified;
import static org.ocpihub.router.pipeline.Contexts.cpo;
import static org.ocpihub.router.pipeline.Contexts.emsp;
import static org.ocpihub.router.pipeline.Contexts.passed;
import static org.ocpihub.router.pipeline.Contexts.relay;
import static org.ocpihub.router.pipeline.Contexts.routed;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.ocpihub.ocpi.OcpiStatus;
import org.ocpihub.ocpi.version.InterfaceRole;
import org.ocpihub.ocpi.version.ModuleId;
import org.ocpihub.router.pipeline.ModuleCall;
import org.ocpihub.router.pipeline.RoutingCase;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

/** SENDER_ROLE: a call to other members comes from the from-pair in a role that may send it. */
class SenderRoleCheckTest {

    private final SenderRoleCheck step = new SenderRoleCheck();

    @Test
    void anEmspSendsTokensAndCommands() {
        passed(step.apply(classified(routed(MockServerHttpRequest.put("/ocpi/2.2.1/tokens/receiver/DE/EMS/T1"),
                EMSP, CPO).build(), emsp(), RoutingCase.DIRECT)));
        passed(step.apply(classified(routed(MockServerHttpRequest.post("/ocpi/2.2.1/commands/receiver/START_SESSION"),
                EMSP, CPO).build(), emsp(), RoutingCase.DIRECT)));
    }

    @Test
    void aCpoSendsNoTokens() {
        assertRefused(step.apply(classified(routed(MockServerHttpRequest.put("/ocpi/2.2.1/tokens/receiver/NL/CPO/T1"),
                        CPO, EMSP).build(), cpo(), RoutingCase.DIRECT)), HttpStatus.FORBIDDEN,
                OcpiStatus.INVALID_OR_MISSING_PARAMETERS, "OCPI-from NL/CPO is CPO on the calling platform; requests "
                        + "to the tokens RECEIVER interface come from EMSP, OTHER parties");
    }

    @Test
    void anEmspBroadcastsNoLocations() {
        assertRefused(step.apply(classified(routed(MockServerHttpRequest.put(
                        "/ocpi/2.2.1/locations/receiver/DE/EMS/L1"), EMSP, null).build(), emsp(),
                        RoutingCase.BROADCAST)), HttpStatus.FORBIDDEN, OcpiStatus.INVALID_OR_MISSING_PARAMETERS,
                "OCPI-from DE/EMS is EMSP on the calling platform; requests to the locations RECEIVER interface come "
                        + "from CPO, NAP parties");
    }

    @Test
    void getAllAndRelayCallsAreNotJudgedByRole() {
        passed(step.apply(classified(routed(MockServerHttpRequest.get("/ocpi/2.2.1/tokens/sender"), CPO, null)
                .build(), cpo(), RoutingCase.GET_ALL)));
        // a relay call is the answer its URL was handed out for: even a module the CPO may not send passes this step
        passed(step.apply(relay(routed(MockServerHttpRequest.post("/ocpi/2.2.1/relay/r1"), CPO, EMSP).build(), cpo(),
                new ModuleCall(ModuleId.TOKENS, InterfaceRole.RECEIVER, "", List.of()), null)));
    }
}
