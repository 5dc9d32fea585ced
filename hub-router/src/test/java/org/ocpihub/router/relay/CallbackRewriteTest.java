package org.ocpihub.router.relay;

import org.ocpihub.ocpi.module.RelayKind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.ocpihub.router.pipeline.Contexts.CPO;
import static org.ocpihub.router.pipeline.Contexts.EMSP;
import static org.ocpihub.router.pipeline.Contexts.assertRefused;
import static org.ocpihub.router.pipeline.Contexts.classified;
import static org.ocpihub.router.pipeline.Contexts.cpo;
import static org.ocpihub.router.pipeline.Contexts.emsp;
import static org.ocpihub.router.pipeline.Contexts.passed;
import static org.ocpihub.router.pipeline.Contexts.receiver;
import static org.ocpihub.router.pipeline.Contexts.relay;
import static org.ocpihub.router.pipeline.Contexts.routed;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.ocpihub.ocpi.OcpiStatus;
import org.ocpihub.ocpi.version.InterfaceRole;
import org.ocpihub.ocpi.version.ModuleId;
import org.ocpihub.registry.platform.PlatformEndpoint;
import org.ocpihub.registry.secret.EndpointUrlPolicy;
import org.ocpihub.router.pipeline.Contexts;
import org.ocpihub.router.pipeline.ModuleCall;
import org.ocpihub.router.pipeline.ResponseTap;
import org.ocpihub.router.pipeline.RoutingCase;
import org.ocpihub.router.pipeline.RoutingContext;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

/** REWRITE_CALLBACKS: a response_url in the body or the query becomes a relay hub URL; what cannot be, is 2001. */
class CallbackRewriteTest {

    private static final String CALLBACK = "https://8.8.8.8/ocpi/commands/START_SESSION/42";
    private static final String HUB_RELAYS = "https://hub.example/ocpi/2.2.1/relay/";

    private final InMemoryRelays relays = new InMemoryRelays();
    private final EndpointUrlPolicy policy = new EndpointUrlPolicy(false);
    private final CallbackRewrite step = new CallbackRewrite(relays, new RelayUrls(relays,
            Contexts.hubProperties(Map.of("hub.public-url", "https://hub.example/")), policy),
            Contexts.routingProperties(Map.of()), policy);

    private static RoutingContext startSession(String body) {
        return classified(routed(MockServerHttpRequest.post("/ocpi/2.2.1/commands/receiver/START_SESSION"), EMSP, CPO)
                .build(), emsp(), RoutingCase.DIRECT)
                .withReceiver(receiver(CPO, new PlatformEndpoint(ModuleId.COMMANDS, InterfaceRole.RECEIVER,
                        "https://cpo.example/commands")))
                .withBody(body.getBytes(StandardCharsets.UTF_8), Contexts.tree(body));
    }

    private static RoutingContext profilesGet(String query) {
        // a URI as received (the String form of the mock's builder would percent-encode the query once more)
        return classified(routed(MockServerHttpRequest.method(HttpMethod.GET,
                URI.create("/ocpi/2.2.1/chargingprofiles/receiver/S1?" + query)), EMSP, CPO).build(), emsp(),
                RoutingCase.DIRECT)
                .withReceiver(receiver(CPO, new PlatformEndpoint(ModuleId.CHARGING_PROFILES, InterfaceRole.RECEIVER,
                        "https://cpo.example/chargingprofiles")));
    }

    @Test
    void aCommandsResponseUrlBecomesAHubUrlKeptForTheCpo() {
        RoutingContext next = passed(step.apply(startSession("{\"response_url\":\"" + CALLBACK + "\",\"a\":1}")));

        Relay relay = relays.relays.values().iterator().next();
        assertThat(new String(next.body(), StandardCharsets.UTF_8))
                .isEqualTo("{\"response_url\":\"" + HUB_RELAYS + relay.id() + "\",\"a\":1}");
        assertThat(relay.kind()).isEqualTo(RelayKind.COMMAND);
        assertThat(relay.targetUrl()).isEqualTo(CALLBACK);
        assertThat(relay.owner()).isEqualTo(EMSP);
        assertThat(relay.caller()).isEqualTo(CPO);
        assertThat(relay.command()).isEqualTo("START_SESSION");
        assertThat(next.tap()).isNotSameAs(ResponseTap.NONE); // the CPO's answer is watched for its timeout
    }

    @Test
    void aMissingOrTwiceSpelledResponseUrlIs2001() {
        assertRefused(step.apply(startSession("{\"location_id\":\"L1\"}")), HttpStatus.OK,
                OcpiStatus.INVALID_OR_MISSING_PARAMETERS, "missing required field: response_url");
        assertRefused(step.apply(startSession("{\"response_url\":\"" + CALLBACK + "\",\"Response_URL\":\"x\"}")),
                HttpStatus.OK, OcpiStatus.INVALID_OR_MISSING_PARAMETERS,
                "response_url: give this field once (another field has the same name in another case)");
        assertThat(relays.relays).isEmpty();
    }

    @Test
    void aResponseUrlTheHubMayNotCallIs2001NamingTheField() {
        String internal = "https://127.0.0.1/cb";
        String refusal = policy.refusalOf(internal).orElseThrow();
        assertRefused(step.apply(startSession("{\"response_url\":\"" + internal + "\"}")), HttpStatus.OK,
                OcpiStatus.INVALID_OR_MISSING_PARAMETERS, "response_url: " + refusal);
        assertThat(relays.relays).isEmpty();
    }

    @Test
    void aChargingProfileQueryIsRewrittenInPlace() {
        RoutingContext next = passed(step.apply(profilesGet("duration=900&response_url=https%3A%2F%2F8.8.8.8%2Fcp")));

        Relay relay = relays.relays.values().iterator().next();
        assertThat(relay.kind()).isEqualTo(RelayKind.CHARGING_PROFILE);
        assertThat(relay.targetUrl()).isEqualTo("https://8.8.8.8/cp");
        assertThat(next.rawQuery()).isEqualTo("duration=900&response_url=https%3A%2F%2Fhub.example%2Focpi%2F2.2.1"
                + "%2Frelay%2F" + relay.id());
    }

    @Test
    void aQueryResponseUrlSpelledOtherwiseIs2001() {
        String message = "response_url: give this query parameter once, spelled response_url= (not percent-encoded,"
                + " not in another case, not ';'-separated)";
        assertRefused(step.apply(profilesGet("duration=900&Response_URL=https://8.8.8.8/cp")), HttpStatus.OK,
                OcpiStatus.INVALID_OR_MISSING_PARAMETERS, message);
        assertRefused(step.apply(profilesGet("response_url=https://8.8.8.8/a&response%5Furl=https://8.8.8.8/b")),
                HttpStatus.OK, OcpiStatus.INVALID_OR_MISSING_PARAMETERS, message);
    }

    @Test
    void aRelayCallKeepsNoCallback() {
        RoutingContext relayed = relay(routed(MockServerHttpRequest.post("/ocpi/2.2.1/relay/r1"), CPO, EMSP).build(),
                cpo(), new ModuleCall(ModuleId.COMMANDS, InterfaceRole.RECEIVER, "/START_SESSION",
                        List.of("START_SESSION")), receiver(EMSP, new PlatformEndpoint(ModuleId.COMMANDS,
                        InterfaceRole.SENDER, CALLBACK)))
                .withBody(("{\"response_url\":\"" + CALLBACK + "\"}").getBytes(StandardCharsets.UTF_8));
        assertThat(passed(step.apply(relayed))).isSameAs(relayed);
        assertThat(relays.relays).isEmpty();
    }
}
