package org.ocpihub.router.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.ocpihub.ocpi.OcpiHeaders;
import org.ocpihub.ocpi.credentials.TokenEncoding;
import org.ocpihub.ocpi.party.BusinessDetails;
import org.ocpihub.ocpi.party.ConnectionStatus;
import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.ocpi.party.PartyRole;
import org.ocpihub.ocpi.party.Role;
import org.ocpihub.registry.config.HubProperties;
import org.ocpihub.registry.http.OcpiException;
import org.ocpihub.registry.platform.Caller;
import org.ocpihub.registry.platform.GrantedRole;
import org.ocpihub.registry.platform.Platform;
import org.ocpihub.registry.platform.PlatformEndpoint;
import org.ocpihub.registry.platform.PlatformRegistry;
import org.ocpihub.registry.platform.RegistrySnapshot;
import org.ocpihub.registry.platform.TokenKind;
import org.ocpihub.registry.secret.Secret;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import reactor.core.publisher.Mono;

/**
 * Routing contexts for unit tests of single steps: a {@link MockServerWebExchange} (spring-test's in-memory request,
 * no server), a calling platform with the roles a test gives it, and the context as it enters a step. What each step
 * answers is asserted with {@link #assertRefused} (HTTP status, OCPI status code, message). The end-to-end tests in
 * hub-app send the same inputs over real HTTP.
 */
public final class Contexts {

    public static final PartyId HUB = PartyId.of("NL", "HUB");
    public static final PartyId CPO = PartyId.of("NL", "CPO");
    public static final PartyId EMSP = PartyId.of("DE", "EMS");

    private Contexts() {
    }

    public static GrantedRole claimed(Role role, PartyId party) {
        return new GrantedRole(new PartyRole(role, party), new BusinessDetails("x", null, null), true);
    }

    public static Platform platform(String name, ConnectionStatus status, List<PlatformEndpoint> endpoints,
                                    GrantedRole... roles) {
        return new Platform(UUID.randomUUID(), name, status, true, "https://" + name + ".example/versions", "2.2.1",
                TokenEncoding.BASE64, List.of(roles), endpoints, Instant.EPOCH, Instant.EPOCH);
    }

    public static Caller caller(GrantedRole... roles) {
        return new Caller(platform("caller", ConnectionStatus.CONNECTED, List.of(), roles), TokenKind.REGISTERED,
                new Secret("caller-token"));
    }

    /** The CPO NL/CPO's platform. */
    public static Caller cpo() {
        return caller(claimed(Role.CPO, CPO));
    }

    /** The eMSP DE/EMS's platform. */
    public static Caller emsp() {
        return caller(claimed(Role.EMSP, EMSP));
    }

    /** A request with a body, with the routing headers from {@code from} (to {@code to}, when not null). */
    public static MockServerHttpRequest.BodyBuilder routed(MockServerHttpRequest.BodyBuilder request, PartyId from,
                                                           PartyId to) {
        routed((MockServerHttpRequest.BaseBuilder<?>) request, from, to);
        return request;
    }

    /** A request builder with the routing headers from {@code from} (to {@code to}, when not null). */
    public static MockServerHttpRequest.BaseBuilder<?> routed(MockServerHttpRequest.BaseBuilder<?> request,
                                                              PartyId from, PartyId to) {
        request.header(OcpiHeaders.FROM_COUNTRY_CODE, from.countryCode())
                .header(OcpiHeaders.FROM_PARTY_ID, from.partyId());
        if (to != null) {
            request.header(OcpiHeaders.TO_COUNTRY_CODE, to.countryCode()).header(OcpiHeaders.TO_PARTY_ID, to.partyId());
        }
        return request;
    }

    /** The context a routed call starts with (before READ_HEADERS). */
    public static RoutingContext start(MockServerHttpRequest request, Caller caller) {
        MockServerWebExchange exchange = MockServerWebExchange.from(request);
        ModuleCall call = request.getURI().getRawPath().startsWith(ModuleCall.VERSION_PREFIX + "relay/") ? null
                : ModuleCall.parse(request.getURI().getRawPath()).orElseThrow();
        return RoutingContext.start(exchange, caller, call, HUB);
    }

    /** The context as it enters a step after READ_HEADERS: the routing headers read. */
    public static RoutingContext read(MockServerHttpRequest request, Caller caller) {
        return start(request, caller).withHeaders(RoutingHeaders.read(request.getHeaders()));
    }

    /** The context of a routed call after CLASSIFY. */
    public static RoutingContext classified(MockServerHttpRequest request, Caller caller, RoutingCase routingCase) {
        return read(request, caller).withClassification(Classification.of(routingCase));
    }

    /** The context of a relay call as RESOLVE_RELAY leaves it, its headers read. */
    public static RoutingContext relay(MockServerHttpRequest request, Caller caller, ModuleCall call,
                                       Receiver receiver) {
        return read(request, caller).withRelay(call, new RelayCall("r1", "COMMAND", EMSP, CPO))
                .withClassification(Classification.of(RoutingCase.DIRECT)).withReceiver(receiver)
                .withRawQuery(null);
    }

    /** A receiver for {@code party}, on a CONNECTED platform with a peer token. */
    public static Receiver receiver(PartyId party, PlatformEndpoint endpoint) {
        Platform platform = platform("receiver", ConnectionStatus.CONNECTED, List.of(endpoint));
        return new Receiver(party, new RegistrySnapshot.Entry(platform, Optional.of(new Secret("peer"))), endpoint,
                new Secret("peer"));
    }

    /** The registry as loaded from these platforms (their peer token "peer"), without a database. */
    public static PlatformRegistry registry(Platform... platforms) {
        RegistrySnapshot snapshot = RegistrySnapshot.of(java.util.Arrays.stream(platforms)
                .map(p -> new RegistrySnapshot.Loaded(p, "a-" + p.id(), "b-" + p.id(), new Secret("peer")))
                .toList());
        return new PlatformRegistry(null, null, null, null, null) {
            @Override
            public RegistrySnapshot snapshot() {
                return snapshot;
            }
        };
    }

    /** {@code hub.routing.*} as bound from these properties (the rest at their defaults). */
    public static RoutingProperties routingProperties(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("hub.routing", RoutingProperties.class);
    }

    /** {@code hub.*} as bound from these properties (the rest at their defaults). */
    public static HubProperties hubProperties(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate("hub", HubProperties.class);
    }

    /** The context a step passed on (it did not refuse). */
    public static RoutingContext passed(Mono<RoutingContext> step) {
        RoutingContext next = step.block(Duration.ofSeconds(5));
        assertThat(next).as("the step passes the call on").isNotNull();
        return next;
    }

    /** The step refused: exactly this HTTP status, OCPI status code and message. */
    public static void assertRefused(Mono<?> step, HttpStatus http, int ocpiStatus, String message) {
        assertThatThrownBy(() -> step.block(Duration.ofSeconds(5))).isInstanceOfSatisfying(OcpiException.class,
                e -> {
                    assertThat(e.httpStatus()).as("HTTP status").isEqualTo(http);
                    assertThat(e.statusCode()).as("OCPI status code").isEqualTo(ocpiStatus);
                    assertThat(e.getMessage()).as("message").isEqualTo(message);
                });
    }

    /**
     * A JSON body parsed as {@code ObjectOwnerCheck} leaves it on the context ({@link RoutingContext#bodyTree()}), for
     * steps that run after it; null when the body is not one strict JSON object (that step would have refused it).
     */
    public static tools.jackson.databind.node.ObjectNode tree(String json) {
        try {
            return org.ocpihub.ocpi.StrictJson.readObject(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            return null;
        }
    }
}
