package org.ocpihub.router.openrouting;

import org.ocpihub.ocpi.module.Learned;
import org.ocpihub.ocpi.module.ModuleProfile;
import java.util.List;
import org.ocpihub.ocpi.StrictJson;
import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.ocpi.version.InterfaceRole;
import org.ocpihub.router.pipeline.RoutingContext;
import org.ocpihub.router.pipeline.RoutingOrder;
import org.ocpihub.router.pipeline.RoutingStep;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;

/**
 * Feeds the owner indexes from what passes (D6), as the module's profile says ({@link ModuleProfile#learn}): pushes
 * on Client Owned Object URLs name their owner (the sender, already checked against the URL), a session push also
 * names the eMSP it goes to, a RESERVE_NOW the CPO holding the reservation. Runs once the receiver is known; a fact
 * about the receiver is learned only when there is one; never delays the request.
 */
@Component
@Order(RoutingOrder.LEARN_OWNERS)
public class OwnerLearning implements RoutingStep {

    private final OwnerIndex index;

    public OwnerLearning(OwnerIndex index) {
        this.index = index;
    }

    @Override
    public Mono<RoutingContext> apply(RoutingContext context) {
        if (context.isRelay()) {
            return Mono.just(context); // a relay call names no object to learn an owner of
        }
        for (Learned fact : ModuleProfile.of(context.call().module()).learn(context.moduleRequest())) {
            if (fact.owner() == Learned.Owner.SENDER) {
                index.learn(fact.kind(), fact.id(), context.headers().from());
            } else if (context.receiver() != null) {
                index.learn(fact.kind(), fact.id(), context.receiver().party());
            }
        }
        return Mono.just(context);
    }
}
