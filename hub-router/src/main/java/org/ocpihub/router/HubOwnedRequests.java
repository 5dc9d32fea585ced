package org.ocpihub.router;

import org.ocpihub.router.classify.RoutingCase;

import reactor.core.publisher.Mono;

/** The hub answering a functional-module request itself (Broadcast Push, GET All via the hub). */
public interface HubOwnedRequests {

    boolean handles(RoutingCase routingCase);

    Mono<Void> handle(RoutingContext context);
}
