package org.ocpihub.router;

import reactor.core.publisher.Mono;

/**
 * One single-purpose step of the routing pipeline (check the sender, classify, read the body, find the receiver,
 * rewrite URLs…), applied in {@link org.springframework.core.annotation.Order} order, as Spring Cloud Gateway
 * composes filters. A step fails the request by signalling an {@link org.ocpihub.registry.http.OcpiException}.
 */
public interface RoutingStep {

    Mono<RoutingContext> apply(RoutingContext context);
}
