package org.ocpihub.router.pipeline;

import org.ocpihub.router.pipeline.RoutingCase;

import reactor.core.publisher.Mono;

/** The hub answering a functional-module request itself (Broadcast Push, GET All via the hub). */
public interface HubOwnedRequests {

    boolean handles(RoutingCase routingCase);

    Mono<Void> handle(RoutingContext context);
}
