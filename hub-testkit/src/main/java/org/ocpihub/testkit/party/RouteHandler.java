package org.ocpihub.testkit.party;

import reactor.core.publisher.Mono;

/** Handles one authenticated request to a simulated platform; runs on a Netty thread, so it must not block. */
@FunctionalInterface
public interface RouteHandler {

    Mono<OcpiReply> handle(OcpiRequest request);
}
