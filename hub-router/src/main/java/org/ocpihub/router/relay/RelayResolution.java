package org.ocpihub.router.relay;

import java.util.Optional;

import org.ocpihub.ocpi.OcpiStatus;
import org.ocpihub.ocpi.party.ConnectionStatus;
import org.ocpihub.ocpi.version.InterfaceRole;
import org.ocpihub.ocpi.version.ModuleId;
import org.ocpihub.registry.config.HubProperties;
import org.ocpihub.registry.http.ExchangeAttributes;
import org.ocpihub.registry.http.OcpiException;
import org.ocpihub.registry.platform.Caller;
import org.ocpihub.registry.platform.PlatformEndpoint;
import org.ocpihub.registry.platform.PlatformRegistry;
import org.ocpihub.registry.platform.RegistrySnapshot;
import org.ocpihub.router.pipeline.RoutingContext;
import org.ocpihub.router.RoutingPipeline;
import org.ocpihub.router.pipeline.Classification;
import org.ocpihub.router.pipeline.RoutingCase;
import org.ocpihub.router.pipeline.ModuleCall;
import org.ocpihub.router.forward.Forwarder;
import org.ocpihub.router.forward.HubAnswerHeaders;
import org.ocpihub.router.forward.OutgoingParties;
import org.ocpihub.router.pipeline.Receiver;
import org.ocpihub.router.pipeline.ResponseTap;
import org.ocpihub.router.pipeline.RoutingException;
import org.ocpihub.router.pipeline.RoutingHeaders;
import org.ocpihub.ocpi.party.PartyId;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import reactor.core.publisher.Mono;

/**
 * Calls to a relay URL ({@code /ocpi/2.2.1/relay/<id>}): a CPO posting a CommandResult or charging profile result,
 * or GETting a CDR, reaches the original URL in the other platform, with that platform's token, from = the caller's
 * party, to = the URL's owner. In order: unknown or expired ids are 404; a method the relay does not keep is 405;
 * only the platform holding the party the URL was handed to may use it (403/2001); then the same steps as a routed
 * call ({@link RoutingPipeline#relayed}): rate limit (429), routing headers (400/2001), the from-pair is one of the
 * caller's parties (403/2001, {@code SenderCheck}), the module's body limit (413, {@code BodyReader}) and the strict
 * JSON read of the body ({@code ObjectOwnerCheck}: not JSON 400/2001, a repeated key 200/2001). Nothing is forwarded
 * before all of them passed.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 21)
public class RelayResolution implements WebFilter {

    static final String PREFIX = "/ocpi/2.2.1/relay/";

    private final RelayStore store;
    private final RelayUrls urls;
    private final PlatformRegistry registry;
    private final Forwarder forwarder;
    private final RoutingPipeline pipeline;
    private final PartyId hub;

    public RelayResolution(RelayStore store, RelayUrls urls, PlatformRegistry registry, Forwarder forwarder,
                        RoutingPipeline pipeline, HubProperties properties) {
        this.store = store;
        this.urls = urls;
        this.registry = registry;
        this.forwarder = forwarder;
        this.pipeline = pipeline;
        this.hub = PartyId.of(properties.identity().countryCode(), properties.identity().partyId());
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getURI().getRawPath();
        if (!path.startsWith(PREFIX)) {
            return chain.filter(exchange);
        }
        String id = path.substring(PREFIX.length());
        Caller caller = ExchangeAttributes.requireCaller(exchange);
        return store.find(id)
                .switchIfEmpty(Mono.error(new OcpiException(HttpStatus.NOT_FOUND, OcpiStatus.CLIENT_ERROR,
                        "unknown or expired hub URL")))
                .flatMap(relay -> {
                    HttpMethod allowed = allowed(relay.kind());
                    if (allowed != exchange.getRequest().getMethod()) {
                        exchange.getResponse().getHeaders().setAllow(java.util.Set.of(allowed));
                        return Mono.error(new OcpiException(HttpStatus.METHOD_NOT_ALLOWED, OcpiStatus.CLIENT_ERROR,
                                "this hub URL accepts only " + allowed.name()));
                    }
                    return forward(exchange, caller, relay);
                })
                .doOnError(OcpiException.class, e -> HubAnswerHeaders.set(exchange, hub));
    }

    /**
     * The one method a relay keeps (issue 7 item 3): results are POSTed (CMD 13.1.1, CP 14.1.1 response_url), a
     * CDR Location or a page link is read with GET. Anything else is 405.
     */
    static HttpMethod allowed(RelayKind kind) {
        return switch (kind) {
            case COMMAND, CHARGING_PROFILE -> HttpMethod.POST;
            case CDR_LOCATION, PAGE -> HttpMethod.GET;
        };
    }

    private Mono<Void> forward(ServerWebExchange exchange, Caller caller, Relay relay) {
        boolean callerHostsParty = caller.platform().roles().stream()
                .filter(org.ocpihub.registry.platform.GrantedRole::claimed)
                .anyMatch(r -> r.partyRole().party().equals(relay.caller()));
        if (!callerHostsParty) {
            return Mono.error(new OcpiException(HttpStatus.FORBIDDEN, OcpiStatus.INVALID_OR_MISSING_PARAMETERS,
                    "this hub URL was given to " + relay.caller() + ", not to the calling platform"));
        }
        ModuleId module = switch (relay.kind()) {
            case COMMAND -> ModuleId.COMMANDS;
            case CHARGING_PROFILE -> ModuleId.CHARGING_PROFILES;
            case CDR_LOCATION -> ModuleId.CDRS;
            case PAGE -> ModuleId.LOCATIONS;
        };
        InterfaceRole role = relay.kind() == RelayKind.CDR_LOCATION ? InterfaceRole.RECEIVER : InterfaceRole.SENDER;
        Optional<RegistrySnapshot.Entry> owner = registry.snapshot().platform(relay.ownerPlatformId());
        boolean connected = owner.isPresent() && owner.get().peerToken().isPresent()
                && owner.get().platform().status() == ConnectionStatus.CONNECTED;
        // a relay whose owner is gone still gets the caller's input checked first; it fails after the steps
        Receiver receiver = connected ? new Receiver(relay.owner(), owner.get(),
                new PlatformEndpoint(module, role, relay.targetUrl()), owner.get().peerToken().get()) : null;
        RoutingContext start;
        try {
            start = RoutingContext.start(exchange, caller, new ModuleCall(module, role, "", java.util.List.of()),
                            RoutingHeaders.read(exchange.getRequest().getHeaders()), hub)
                    .withClassification(Classification.of(RoutingCase.DIRECT))
                    .withReceiver(receiver);
        } catch (RuntimeException e) { // malformed routing headers: 400/2001 naming the header, as for routed calls
            return Mono.error(e);
        }
        return pipeline.relayed(start).flatMap(checked -> {
            if (checked.receiver() == null) {
                return Mono.error(new RoutingException(OcpiStatus.CONNECTION_PROBLEM, "receiver " + relay.owner()
                        + " is not connected"));
            }
            exchange.getAttributes().put(ExchangeAttributes.ROUTE, "relay=" + relay.kind() + " from="
                    + relay.caller() + " to=" + relay.owner());
            ResponseTap tap = relay.kind() == RelayKind.COMMAND
                    ? (status, body) -> store.done(relay.id()).subscribe()
                    : ResponseTap.NONE;
            // the request's from-pair passed SenderCheck; what goes on speaks for the party the URL was handed to
            // (the owner expects its result from it, and a relay made from the answer's Link is handed to it too)
            RoutingContext context = checked.withHeaders(new RoutingHeaders(relay.caller(),
                    Optional.of(relay.owner())));
            return forwarder.forward(context, new Forwarder.Call(context.body(),
                    OutgoingParties.of(relay.caller(), relay.owner()), null, urls.forContext(context), tap));
        });
    }
}
