package org.ocpihub.router;

import java.util.List;
import java.util.Optional;

import org.ocpihub.ocpi.OcpiStatus;
import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.registry.config.HubProperties;
import org.ocpihub.registry.http.ExchangeAttributes;
import org.ocpihub.registry.http.OcpiException;
import org.ocpihub.registry.platform.Caller;
import org.ocpihub.router.pipeline.ModuleCall;
import org.ocpihub.router.pipeline.RoutingCase;
import org.ocpihub.router.forward.Forwarder;
import org.ocpihub.router.forward.HubAnswerHeaders;
import org.ocpihub.router.forward.OutgoingParties;
import org.ocpihub.router.pipeline.RoutingException;
import org.ocpihub.router.party.BodyReader;
import org.ocpihub.router.pipeline.RoutingHeaders;
import org.ocpihub.router.relay.RelayUrls;
import org.ocpihub.router.pipeline.RoutingContext;
import org.ocpihub.router.pipeline.HubOwnedRequests;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import reactor.core.publisher.Mono;

/**
 * The hub's functional endpoints: every request to {@code /ocpi/2.2.1/<module>/<sender|receiver>…} goes through
 * the ordered {@link RoutingStep}s ({@link RoutingPipeline#routed}) and is then forwarded to its receiver or answered by the hub itself. Runs after
 * authentication; routing failures carry {@code OCPI-from} = the hub.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
public class RoutingFilter implements WebFilter {

    private final RoutingPipeline pipeline;
    private final Forwarder forwarder;
    private final List<HubOwnedRequests> hubOwned;
    private final RelayUrls relayUrls;
    private final RoutingMetrics metrics;
    private final PartyId hub;

    public RoutingFilter(RoutingPipeline pipeline, Forwarder forwarder, List<HubOwnedRequests> hubOwned,
                         RelayUrls relayUrls, RoutingMetrics metrics, HubProperties properties) {
        this.pipeline = pipeline;
        this.forwarder = forwarder;
        this.hubOwned = hubOwned;
        this.relayUrls = relayUrls;
        this.metrics = metrics;
        this.hub = PartyId.of(properties.identity().countryCode(), properties.identity().partyId());
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        Optional<ModuleCall> call;
        try {
            call = ModuleCall.parse(exchange.getRequest().getURI().getRawPath());
        } catch (IllegalArgumentException e) {
            return Mono.error(new OcpiException(HttpStatus.BAD_REQUEST, OcpiStatus.INVALID_OR_MISSING_PARAMETERS,
                    e.getMessage()));
        }
        if (call.isEmpty()) {
            return chain.filter(exchange);
        }
        long started = System.nanoTime();
        Caller caller = ExchangeAttributes.requireCaller(exchange);
        Mono<RoutingContext> pipeline;
        try {
            pipeline = this.pipeline.routed(RoutingContext.start(exchange, caller, call.get(),
                    RoutingHeaders.read(exchange.getRequest().getHeaders()), hub));
        } catch (RuntimeException e) {
            pipeline = Mono.error(e);
        }
        RoutingContext[] last = new RoutingContext[1];
        return pipeline
                .doOnNext(context -> last[0] = context)
                .flatMap(this::finish)
                // a streamed body that went over the limit aborted the forward: say so, not "the receiver failed"
                .onErrorMap(e -> exchange.getAttribute(BodyReader.TOO_LARGE) instanceof OcpiException tooLarge
                        && e != tooLarge ? tooLarge : e)
                .doOnError(OcpiException.class, e -> HubAnswerHeaders.set(exchange, hub))
                .doOnEach(signal -> {
                    if (signal.isOnComplete() || signal.isOnError()) {
                        metrics.record(exchange, call.get(), last[0], signal.getThrowable(), started);
                    }
                });
    }

    private Mono<Void> finish(RoutingContext context) {
        if (context.receiver() != null) {
            context.exchange().getAttributes().put(ExchangeAttributes.ROUTE, RoutingMetrics.describe(context));
            PartyId chosen = context.classification().routingCase() == RoutingCase.OPEN_ROUTING
                    ? context.receiver().party() : null;
            return forwarder.forward(context, new Forwarder.Call(context.body(),
                    OutgoingParties.of(context.exchange().getRequest().getHeaders(), chosen), context.rawQuery(),
                    relayUrls.forContext(context), context.tap()));
        }
        return hubOwned.stream().filter(h -> h.handles(context.classification().routingCase())).findFirst()
                .map(h -> h.handle(context))
                .orElseGet(() -> Mono.error(new RoutingException(OcpiStatus.INVALID_OR_MISSING_PARAMETERS,
                        context.classification().routingCase() + " is not supported by this hub yet")));
    }
}
