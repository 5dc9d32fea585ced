package org.ocpihub.router.party;

import static org.ocpihub.router.pipeline.Contexts.CPO;
import static org.ocpihub.router.pipeline.Contexts.EMSP;
import static org.ocpihub.router.pipeline.Contexts.assertRefused;
import static org.ocpihub.router.pipeline.Contexts.cpo;
import static org.ocpihub.router.pipeline.Contexts.passed;
import static org.ocpihub.router.pipeline.Contexts.read;
import static org.ocpihub.router.pipeline.Contexts.relay;
import static org.ocpihub.router.pipeline.Contexts.routed;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.ocpihub.ocpi.OcpiStatus;
import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.ocpi.version.InterfaceRole;
import org.ocpihub.ocpi.version.ModuleId;
import org.ocpihub.router.pipeline.ModuleCall;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

/** SENDER_CHECK: the from-pair is the caller's; a Client Owned Object URL names the from-pair (TF 4.1.5.1). */
class SenderCheckTest {

    private final SenderCheck step = new SenderCheck();

    @Test
    void theCallersOwnPartyOnItsOwnObjectPasses() {
        passed(step.apply(read(routed(MockServerHttpRequest.put("/ocpi/2.2.1/locations/receiver/NL/CPO/LOC1"),
                CPO, PartyId.of("NL", "HUB")).build(), cpo())));
        passed(step.apply(read(routed(MockServerHttpRequest.put("/ocpi/2.2.1/locations/receiver/nl/cpo/LOC1"),
                CPO, PartyId.of("NL", "HUB")).build(), cpo())));
    }

    @Test
    void aFromPairOfAnotherPlatformIsRefused() {
        assertRefused(step.apply(read(routed(MockServerHttpRequest.get("/ocpi/2.2.1/locations/sender"), EMSP, CPO)
                        .build(), cpo())), HttpStatus.FORBIDDEN, OcpiStatus.INVALID_OR_MISSING_PARAMETERS,
                "OCPI-from DE/EMS is not a party of the calling platform");
    }

    @Test
    void anObjectUrlOfAnotherPartyIsRefused() {
        assertRefused(step.apply(read(routed(MockServerHttpRequest.put("/ocpi/2.2.1/tokens/receiver/NL/XYZ/T1"),
                        CPO, EMSP).build(), cpo())), HttpStatus.FORBIDDEN, OcpiStatus.INVALID_OR_MISSING_PARAMETERS,
                "URL party NL/XYZ differs from OCPI-from NL/CPO");
    }

    @Test
    void anObjectUrlPartyThatIsNoPartyIdIsRefused() {
        assertRefused(step.apply(read(routed(MockServerHttpRequest.put(
                        "/ocpi/2.2.1/locations/receiver/NLD/CPO/LOC1"), CPO, EMSP).build(), cpo())),
                HttpStatus.FORBIDDEN, OcpiStatus.INVALID_OR_MISSING_PARAMETERS,
                "URL party NLD/CPO is not a country_code/party_id");
    }

    @Test
    void aRelayCallIsCheckedForItsFromPairToo() {
        ModuleCall call = new ModuleCall(ModuleId.COMMANDS, InterfaceRole.SENDER, "", List.of());
        passed(step.apply(relay(routed(MockServerHttpRequest.post("/ocpi/2.2.1/relay/r1"), CPO, EMSP).build(),
                cpo(), call, null)));
        assertRefused(step.apply(relay(routed(MockServerHttpRequest.post("/ocpi/2.2.1/relay/r1"), EMSP, CPO).build(),
                cpo(), call, null)), HttpStatus.FORBIDDEN, OcpiStatus.INVALID_OR_MISSING_PARAMETERS,
                "OCPI-from DE/EMS is not a party of the calling platform");
    }
}
