package org.ocpihub.router.relay;

import java.util.Optional;

import org.ocpihub.ocpi.OcpiStatus;
import org.ocpihub.ocpi.module.RelayKind;
import org.ocpihub.ocpi.party.ConnectionStatus;
import org.ocpihub.ocpi.version.InterfaceRole;
import org.ocpihub.ocpi.version.ModuleId;
import org.ocpihub.registry.http.OcpiException;
import org.ocpihub.registry.platform.Caller;
import org.ocpihub.registry.platform.PlatformEndpoint;
import org.ocpihub.registry.platform.PlatformRegistry;
import org.ocpihub.registry.platform.RegistrySnapshot;
import org.ocpihub.router.pipeline.Classification;
import org.ocpihub.router.pipeline.ModuleCall;
import org.ocpihub.router.pipeline.Receiver;
import org.ocpihub.router.pipeline.RelayCall;
import org.ocpihub.router.pipeline.ResponseTap;
import org.ocpihub.router.pipeline.RoutingCase;
import org.ocpihub.router.pipeline.RoutingContext;
import org.ocpihub.router.pipeline.SenderRole;
import org.ocpihub.router.pipeline.RoutingOrder;
import org.ocpihub.router.pipeline.RoutingStep;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

import reactor.core.publisher.Mono;

/**
 * The first step of a call to a relay URL ({@code /ocpi/2.2.1/relay/<id>}): a CPO posting a CommandResult or charging
 * profile result, or GETting a CDR or a page the hub handed out, reaches the original URL in the other platform, with
 * that platform's token, from = the party the URL was handed to, to = the URL's owner. In order: unknown or expired
 * ids are 404; a method the relay does not keep is 405 (with {@code Allow}); only the platform holding the party the
 * URL was handed to may use it (403/2001). Then the call is a {@code DIRECT} call of the relay's module and interface
 * to the owner's platform ({@code receiver} null when the owner is not connected: the caller's input is still
 * checked, and {@code ForwardOrAnswer} answers 4003 after the checks), and goes through the same steps as a routed
 * call ({@link RoutingOrder}): routing headers (400/2001), rate limit (429), the from-pair is one of the caller's
 * parties (403/2001, {@code SenderCheck}), the module's body limit (413, {@code BodyReader}) and the strict JSON read
 * ({@code ObjectOwnerCheck}: not JSON 400/2001, a repeated key 200/2001). Routed calls pass this step unchanged.
 */
@Component
@Order(RoutingOrder.RESOLVE_RELAY)
public class RelayResolution implements RoutingStep {

    /** The path prefix of relay URLs; the rest of the path is the relay id. */
    public static final String PREFIX = ModuleCall.VERSION_PREFIX + "relay/";

    private final RelayStore store;
    private final PlatformRegistry registry;

    public RelayResolution(RelayStore store, PlatformRegistry registry) {
        this.store = store;
        this.registry = registry;
    }

    /** Whether a request path is a relay URL (taken by the router, answered through this step). */
    public static boolean isRelayPath(String rawPath) {
        return rawPath.startsWith(PREFIX);
    }

    @Override
    public Mono<RoutingContext> apply(RoutingContext context) {
        if (context.call() != null) {
            return Mono.just(context); // a routed call: its module and interface come from its path
        }
        ServerWebExchange exchange = context.exchange();
        String id = exchange.getRequest().getURI().getRawPath().substring(PREFIX.length());
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
                    return resolved(context, relay);
                });
    }

    /**
     * The one method a relay keeps (issue 7 item 3): results are POSTed (CMD 13.1.1, CP 14.1.1 response_url), a
     * CDR Location or a page link is read with GET. Anything else is 405.
     */
    static HttpMethod allowed(RelayKind kind) {
        return HttpMethod.valueOf(kind.method());
    }

    private Mono<RoutingContext> resolved(RoutingContext context, Relay relay) {
        Caller caller = context.caller();
        if (SenderRole.held(caller.platform(), relay.caller()).isEmpty()) { // the party it was handed to
            return Mono.error(new OcpiException(HttpStatus.FORBIDDEN, OcpiStatus.INVALID_OR_MISSING_PARAMETERS,
                    "this hub URL was given to " + relay.caller() + ", not to the calling platform"));
        }
        // the relay is routed as a call to the module and interface where its URL lands (RelayKind)
        ModuleId module = relay.kind().module();
        InterfaceRole role = relay.kind().interfaceRole();
        Optional<RegistrySnapshot.Entry> owner = registry.snapshot().platform(relay.ownerPlatformId());
        boolean connected = owner.isPresent() && owner.get().peerToken().isPresent()
                && owner.get().platform().status() == ConnectionStatus.CONNECTED;
        // a relay whose owner is gone still gets the caller's input checked first; it fails after the steps
        Receiver receiver = connected ? new Receiver(relay.owner(), owner.get(),
                new PlatformEndpoint(module, role, relay.targetUrl()), owner.get().peerToken().get()) : null;
        ResponseTap tap = relay.kind() == RelayKind.COMMAND
                ? (status, body) -> store.done(relay.id()).subscribe()
                : ResponseTap.NONE;
        // the relay's target URL is called as kept: the caller's query is not carried
        return Mono.just(context
                .withRelay(new ModuleCall(module, role, "", java.util.List.of()),
                        new RelayCall(relay.id(), relay.kind().name(), relay.caller(), relay.owner()))
                .withClassification(Classification.of(RoutingCase.DIRECT))
                .withReceiver(receiver)
                .withRawQuery(null)
                .withTap(tap));
    }
}
