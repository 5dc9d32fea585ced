package org.ocpihub.router.party;

import org.ocpihub.registry.http.OcpiException;
import org.ocpihub.router.pipeline.RoutingContext;
import org.ocpihub.router.pipeline.RoutingOrder;
import org.ocpihub.router.pipeline.RoutingStep;
import org.ocpihub.router.pipeline.RoutingCase;
import org.ocpihub.router.pipeline.SenderRole;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;

/**
 * After classification, before the body is read: a request that goes to other members (DIRECT, OPEN_ROUTING,
 * BROADCAST) comes from the from-pair in a role that may send this module on this interface ({@link SenderRole}).
 * GET All is answered by the hub from its store and limited by {@code GetAllVisibility} instead. Violation → HTTP
 * 403, status 2001, naming the from-pair, the roles the caller holds for it, and the module and interface.
 */
@Component
@Order(RoutingOrder.SENDER_ROLE)
public class SenderRoleCheck implements RoutingStep {

    @Override
    public Mono<RoutingContext> apply(RoutingContext context) {
        if (context.isRelay()) {
            return Mono.just(context); // a relay call is the answer the URL was handed out for, not a request of a role
        }
        if (context.classification().routingCase() == RoutingCase.GET_ALL) {
            return Mono.just(context);
        }
        try {
            SenderRole.require(context.caller().platform(), context.headers().from(), context.call().module(),
                    context.call().interfaceRole());
        } catch (OcpiException e) {
            return Mono.error(e);
        }
        return Mono.just(context);
    }
}
