package org.ocpihub.router.relay;

import org.ocpihub.ocpi.module.RelayKind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.ocpihub.router.pipeline.Contexts.CPO;
import static org.ocpihub.router.pipeline.Contexts.EMSP;
import static org.ocpihub.router.pipeline.Contexts.assertRefused;
import static org.ocpihub.router.pipeline.Contexts.claimed;
import static org.ocpihub.router.pipeline.Contexts.cpo;
import static org.ocpihub.router.pipeline.Contexts.emsp;
import static org.ocpihub.router.pipeline.Contexts.passed;
import static org.ocpihub.router.pipeline.Contexts.platform;
import static org.ocpihub.router.pipeline.Contexts.registry;
import static org.ocpihub.router.pipeline.Contexts.routed;
import static org.ocpihub.router.pipeline.Contexts.start;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.ocpihub.ocpi.OcpiStatus;
import org.ocpihub.ocpi.party.ConnectionStatus;
import org.ocpihub.ocpi.party.Role;
import org.ocpihub.ocpi.version.InterfaceRole;
import org.ocpihub.ocpi.version.ModuleId;
import org.ocpihub.registry.platform.Platform;
import org.ocpihub.router.pipeline.RoutingCase;
import org.ocpihub.router.pipeline.RoutingContext;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

/**
 * RESOLVE_RELAY: a relay call is answered 404 (unknown), 405 (wrong method, with Allow), 403 (not the party it was
 * handed to) in that order, else becomes a DIRECT call of the relay's module and interface to the URL's owner.
 */
class RelayResolutionTest {

    private static final String TARGET = "https://emsp.example/ocpi/commands/START_SESSION/42";

    private final Platform emspPlatform = platform("emsp", ConnectionStatus.CONNECTED, List.of(),
            claimed(Role.EMSP, EMSP));
    private final Platform gonePlatform = platform("gone", ConnectionStatus.SUSPENDED, List.of(),
            claimed(Role.EMSP, EMSP));
    private final InMemoryRelays relays = new InMemoryRelays();

    /** A command relay: the eMSP's response_url, handed to the CPO. */
    private Relay command(Platform owner) {
        Relay relay = new Relay(RelayUrls.newId(), RelayKind.COMMAND, TARGET, owner.id(), EMSP, CPO, "START_SESSION",
                Instant.now().plusSeconds(60));
        relays.insert(relay).block();
        return relay;
    }

    private RoutingContext call(MockServerHttpRequest.BodyBuilder request) {
        return start(routed(request, CPO, EMSP).build(), cpo());
    }

    @Test
    void theRelayBecomesADirectCallToItsOwner() {
        RelayResolution step = new RelayResolution(relays, registry(emspPlatform));
        Relay relay = command(emspPlatform);

        RoutingContext next = passed(step.apply(call(MockServerHttpRequest.post("/ocpi/2.2.1/relay/" + relay.id()
                + "?ignored=1"))));
        assertThat(next.isRelay()).isTrue();
        assertThat(next.relay().describe()).isEqualTo("relay=COMMAND from=NL/CPO to=DE/EMS");
        assertThat(next.call().module()).isEqualTo(ModuleId.COMMANDS);
        assertThat(next.call().interfaceRole()).isEqualTo(InterfaceRole.SENDER);
        assertThat(next.classification().routingCase()).isEqualTo(RoutingCase.DIRECT);
        assertThat(next.receiver().party()).isEqualTo(EMSP);
        assertThat(next.receiver().endpoint().url()).isEqualTo(TARGET);
        assertThat(next.rawQuery()).isNull();
    }

    @Test
    void anOwnerNotConnectedLeavesNoReceiverForTheEndToAnswer() {
        RelayResolution step = new RelayResolution(relays, registry(gonePlatform));
        Relay relay = command(gonePlatform);

        RoutingContext next = passed(step.apply(call(MockServerHttpRequest.post("/ocpi/2.2.1/relay/" + relay.id()))));
        assertThat(next.isRelay()).isTrue();
        assertThat(next.receiver()).isNull();
    }

    @Test
    void anUnknownIdIs404() {
        RelayResolution step = new RelayResolution(relays, registry(emspPlatform));
        assertRefused(step.apply(call(MockServerHttpRequest.post("/ocpi/2.2.1/relay/nope"))), HttpStatus.NOT_FOUND,
                OcpiStatus.CLIENT_ERROR, "unknown or expired hub URL");
    }

    @Test
    void anotherMethodIs405WithAllow() {
        RelayResolution step = new RelayResolution(relays, registry(emspPlatform));
        Relay relay = command(emspPlatform);
        RoutingContext context = call(MockServerHttpRequest.put("/ocpi/2.2.1/relay/" + relay.id()));

        assertRefused(step.apply(context), HttpStatus.METHOD_NOT_ALLOWED, OcpiStatus.CLIENT_ERROR,
                "this hub URL accepts only POST");
        assertThat(context.exchange().getResponse().getHeaders().getAllow()).isEqualTo(Set.of(HttpMethod.POST));
    }

    @Test
    void anotherPlatformIs403() {
        RelayResolution step = new RelayResolution(relays, registry(emspPlatform));
        Relay relay = command(emspPlatform);
        RoutingContext byTheEmsp = start(routed(MockServerHttpRequest.post("/ocpi/2.2.1/relay/" + relay.id()), EMSP,
                CPO).build(), emsp());

        assertRefused(step.apply(byTheEmsp), HttpStatus.FORBIDDEN, OcpiStatus.INVALID_OR_MISSING_PARAMETERS,
                "this hub URL was given to NL/CPO, not to the calling platform");
    }

    @Test
    void aRoutedCallPassesUnchanged() {
        RelayResolution step = new RelayResolution(relays, registry(emspPlatform));
        RoutingContext routedCall = start(routed(MockServerHttpRequest.get("/ocpi/2.2.1/locations/sender"), CPO,
                EMSP).build(), cpo());
        assertThat(passed(step.apply(routedCall))).isSameAs(routedCall);
    }
}
