package org.ocpihub.router.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ocpihub.router.pipeline.Contexts.CPO;
import static org.ocpihub.router.pipeline.Contexts.EMSP;
import static org.ocpihub.router.pipeline.Contexts.assertRefused;
import static org.ocpihub.router.pipeline.Contexts.claimed;
import static org.ocpihub.router.pipeline.Contexts.classified;
import static org.ocpihub.router.pipeline.Contexts.cpo;
import static org.ocpihub.router.pipeline.Contexts.passed;
import static org.ocpihub.router.pipeline.Contexts.platform;
import static org.ocpihub.router.pipeline.Contexts.registry;
import static org.ocpihub.router.pipeline.Contexts.relay;
import static org.ocpihub.router.pipeline.Contexts.routed;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.ocpihub.ocpi.OcpiStatus;
import org.ocpihub.ocpi.party.ConnectionStatus;
import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.ocpi.party.Role;
import org.ocpihub.ocpi.version.InterfaceRole;
import org.ocpihub.ocpi.version.ModuleId;
import org.ocpihub.registry.platform.PlatformEndpoint;
import org.ocpihub.router.openrouting.OpenRoutingResolver;
import org.ocpihub.router.openrouting.OwnerIndex;
import org.ocpihub.router.pipeline.ModuleCall;
import org.ocpihub.router.pipeline.RoutingCase;
import org.ocpihub.router.pipeline.Contexts;
import org.ocpihub.router.pipeline.RoutingContext;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

/**
 * RESOLVE_RECEIVER: DIRECT → the to-pair's platform from the in-memory registry (4001 unknown, 4003 not connected),
 * OPEN_ROUTING → the owner the hub finds (here from the body, so no owner index is asked: its database is never
 * touched).
 */
class ReceiverResolutionTest {

    private static final PartyId OFFLINE = PartyId.of("FR", "OFF");
    private static final String LOCATIONS_URL = "https://emsp.example/ocpi/2.2.1/locations";
    private static final String CDRS_URL = "https://emsp.example/ocpi/2.2.1/cdrs";

    private final ReceiverResolution step = new ReceiverResolution(new ReceiverDirectory(registry(
            platform("emsp", ConnectionStatus.CONNECTED, List.of(
                    new PlatformEndpoint(ModuleId.LOCATIONS, InterfaceRole.RECEIVER, LOCATIONS_URL),
                    new PlatformEndpoint(ModuleId.CDRS, InterfaceRole.RECEIVER, CDRS_URL)), claimed(Role.EMSP, EMSP)),
            platform("offline", ConnectionStatus.OFFLINE, List.of(), claimed(Role.EMSP, OFFLINE)))),
            new OpenRoutingResolver(new OwnerIndex(null)));

    private static RoutingContext push(PartyId to) {
        return classified(routed(MockServerHttpRequest.put("/ocpi/2.2.1/locations/receiver/NL/CPO/L1"), CPO, to)
                .build(), cpo(), RoutingCase.DIRECT);
    }

    @Test
    void aDirectCallGoesToTheToPairsEndpoint() {
        RoutingContext next = passed(step.apply(push(EMSP)));

        assertThat(next.receiver().party()).isEqualTo(EMSP);
        assertThat(next.receiver().endpoint().url()).isEqualTo(LOCATIONS_URL);
    }

    @Test
    void anUnknownPartyIs4001() {
        assertRefused(step.apply(push(PartyId.of("BE", "XYZ"))), HttpStatus.OK, OcpiStatus.UNKNOWN_RECEIVER,
                "unknown receiver BE/XYZ: no platform on this hub hosts it");
    }

    @Test
    void aPlatformNotConnectedIs4003() {
        assertRefused(step.apply(push(OFFLINE)), HttpStatus.OK, OcpiStatus.CONNECTION_PROBLEM,
                "receiver FR/OFF is not connected (OFFLINE)");
    }

    @Test
    void aPlatformNotConnectedCountsAsItsUpstreamResultNotConnected() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ReceiverResolution counted = new ReceiverResolution(new ReceiverDirectory(registry(
                platform("offline", ConnectionStatus.OFFLINE, List.of(), claimed(Role.EMSP, OFFLINE))),
                new UpstreamMetrics(meters)), new OpenRoutingResolver(new OwnerIndex(null)));

        assertRefused(counted.apply(push(OFFLINE)), HttpStatus.OK, OcpiStatus.CONNECTION_PROBLEM,
                "receiver FR/OFF is not connected (OFFLINE)");

        // the receiver's dashboard shows why its calls fail; nothing was sent, so no 2xx..5xx, timeout or unreachable
        assertThat(meters.find("ocpihub.routing.upstream").tag("receiver", "offline").tag("module", "locations")
                .tag("result", "not_connected").timer()).isNotNull().extracting(timer -> timer.count()).isEqualTo(1L);
        assertThat(meters.find("ocpihub.routing.upstream").timers()).hasSize(1);
    }

    @Test
    void aModuleTheReceiverDoesNotOfferIs4001() {
        RoutingContext tariff = classified(routed(MockServerHttpRequest.put("/ocpi/2.2.1/tariffs/receiver/NL/CPO/T1"),
                CPO, EMSP).build(), cpo(), RoutingCase.DIRECT);
        assertRefused(step.apply(tariff), HttpStatus.OK, OcpiStatus.UNKNOWN_RECEIVER,
                "receiver DE/EMS offers no tariffs RECEIVER endpoint");
    }

    @Test
    void anOpenRoutedCdrGoesToItsTokensOwner() {
        RoutingContext cdr = classified(routed(MockServerHttpRequest.post("/ocpi/2.2.1/cdrs/receiver"), CPO, null)
                .build(), cpo(), RoutingCase.OPEN_ROUTING);
        String withToken = "{\"country_code\":\"NL\",\"party_id\":\"CPO\","
                + "\"cdr_token\":{\"country_code\":\"DE\",\"party_id\":\"EMS\",\"uid\":\"T1\"}}";
        RoutingContext next = passed(step.apply(cdr.withBody(withToken.getBytes(StandardCharsets.UTF_8),
                Contexts.tree(withToken))));
        assertThat(next.receiver().party()).isEqualTo(EMSP);
        assertThat(next.receiver().endpoint().url()).isEqualTo(CDRS_URL);

        String withoutToken = "{\"country_code\":\"NL\",\"party_id\":\"CPO\"}";
        assertRefused(step.apply(cdr.withBody(withoutToken.getBytes(StandardCharsets.UTF_8),
                        Contexts.tree(withoutToken))), HttpStatus.OK, OcpiStatus.UNKNOWN_RECEIVER,
                "cannot route the CDR: no cdr_token.country_code/party_id");
    }

    @Test
    void hubOwnedCasesAndRelayCallsKeepTheirReceiver() {
        RoutingContext broadcast = classified(routed(MockServerHttpRequest.put(
                "/ocpi/2.2.1/locations/receiver/NL/CPO/L1"), CPO, null).build(), cpo(), RoutingCase.BROADCAST);
        assertThat(passed(step.apply(broadcast)).receiver()).isNull();

        RoutingContext relayed = relay(routed(MockServerHttpRequest.post("/ocpi/2.2.1/relay/r1"), CPO, EMSP).build(),
                cpo(), new ModuleCall(ModuleId.COMMANDS, InterfaceRole.SENDER, "", List.of()), null);
        assertThat(passed(step.apply(relayed))).isSameAs(relayed);
    }
}
