package org.ocpihub.router.pipeline;

import reactor.core.publisher.Mono;

/**
 * One single-purpose step of the routing pipeline (check the sender, classify, read the body, find the receiver,
 * rewrite URLs…), applied in {@link org.springframework.core.annotation.Order} order, as Spring Cloud Gateway
 * composes filters. A step fails the request by signalling an {@link org.ocpihub.registry.http.OcpiException}.
 */
public interface RoutingStep {

    Mono<RoutingContext> apply(RoutingContext context);

    /**
     * Whether this step also guards relay calls ({@code /ocpi/2.2.1/relay/<id>}, {@link RoutingPipeline#relayed}):
     * a check that holds for any call from a member (rate limit, sender, body limit, strict JSON) says true; a step
     * that finds what a relay already knows (classification, receiver) or rewrites a routed request says false.
     * A step that says true must cope with a relay's context: a {@code DIRECT} classification, the receiver already
     * set, no path suffix.
     */
    default boolean guardsRelays() {
        return false;
    }
}
