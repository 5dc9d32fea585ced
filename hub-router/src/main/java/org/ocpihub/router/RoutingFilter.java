package org.ocpihub.router;

import java.util.Optional;

import org.ocpihub.ocpi.OcpiStatus;
import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.registry.config.HubProperties;
import org.ocpihub.registry.http.ExchangeAttributes;
import org.ocpihub.registry.http.OcpiException;
import org.ocpihub.registry.platform.Caller;
import org.ocpihub.router.forward.HubAnswerHeaders;
import org.ocpihub.router.party.BodyReader;
import org.ocpihub.router.pipeline.ModuleCall;
import org.ocpihub.router.pipeline.RoutingContext;
import org.ocpihub.router.relay.RelayResolution;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import reactor.core.publisher.Mono;

/**
 * The hub's functional endpoints and relay URLs: every request to {@code /ocpi/2.2.1/<module>/<sender|receiver>…}
 * and to {@code /ocpi/2.2.1/relay/<id>} goes through the one {@link RoutingPipeline} (the steps of
 * {@link org.ocpihub.router.pipeline.RoutingOrder}, whose last step forwards the call or lets the hub answer it), and
 * is counted and timed by {@link RoutingMetrics}. Runs after authentication; routing failures carry {@code OCPI-from}
 * = the hub.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
public class RoutingFilter implements WebFilter {

    private final RoutingPipeline pipeline;
    private final RoutingMetrics metrics;
    private final PartyId hub;

    public RoutingFilter(RoutingPipeline pipeline, RoutingMetrics metrics, HubProperties properties) {
        this.pipeline = pipeline;
        this.metrics = metrics;
        this.hub = PartyId.of(properties.identity().countryCode(), properties.identity().partyId());
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getURI().getRawPath();
        Optional<ModuleCall> call;
        try {
            call = ModuleCall.parse(path);
        } catch (IllegalArgumentException e) {
            return Mono.error(new OcpiException(HttpStatus.BAD_REQUEST, OcpiStatus.INVALID_OR_MISSING_PARAMETERS,
                    e.getMessage()));
        }
        if (call.isEmpty() && !RelayResolution.isRelayPath(path)) {
            return chain.filter(exchange);
        }
        long started = System.nanoTime();
        Caller caller = ExchangeAttributes.requireCaller(exchange);
        // a relay call has no module call yet: RelayResolution, the first step, finds it
        RoutingContext start = RoutingContext.start(exchange, caller, call.orElse(null), hub);
        RoutingContext[] last = {start};
        return pipeline.run(start, context -> last[0] = context)
                // a streamed body that went over the limit aborted the forward: say so, not "the receiver failed"
                .onErrorMap(e -> exchange.getAttribute(BodyReader.TOO_LARGE) instanceof OcpiException tooLarge
                        && e != tooLarge ? tooLarge : e)
                .doOnError(OcpiException.class, e -> HubAnswerHeaders.set(exchange, hub))
                // the last step may name who answered (a fan-out's winner), for the metrics and the message log
                .doOnNext(context -> last[0] = context)
                .doOnEach(signal -> {
                    if (signal.isOnComplete() || signal.isOnError()) {
                        metrics.record(exchange, last[0], signal.getThrowable(), started);
                    }
                })
                .then();
    }
}
