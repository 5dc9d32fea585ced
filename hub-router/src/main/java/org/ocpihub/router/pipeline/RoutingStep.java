package org.ocpihub.router.pipeline;

import reactor.core.publisher.Mono;

/**
 * One single-purpose step of the routing pipeline (read the routing headers, check the sender, classify, read the
 * body, find the receiver, rewrite URLs, forward…). Each step is a Spring bean annotated
 * {@code @Order(RoutingOrder.X)} with its own named constant: {@link RoutingOrder} lists them all, in order, as Spring
 * Cloud Gateway names its filter orders. Routed calls and relay calls go through the same steps; a step that does not
 * apply to a call ({@link RoutingContext#isRelay()}, the method, the module…) returns the context unchanged.
 *
 * <p>A step fails the request by signalling an {@link org.ocpihub.registry.http.OcpiException}; a step that can
 * answer at once should return {@code Mono.just} or {@code Mono.error} (the pipeline then goes on without a reactive
 * hop).
 */
public interface RoutingStep {

    /**
     * @param context what is known about the call so far
     * @return the context for the next step (a copy when the step learned something), or the step's refusal
     */
    Mono<RoutingContext> apply(RoutingContext context);
}
