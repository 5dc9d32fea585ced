package org.ocpihub.router.agreement;

import org.ocpihub.registry.agreement.Agreements;
import org.ocpihub.router.pipeline.RoutingContext;
import org.ocpihub.router.pipeline.RoutingOrder;
import org.ocpihub.router.pipeline.RoutingStep;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;

/**
 * After the receiver is known, before anything is forwarded: the from-pair and the receiving party may exchange the
 * call's module ({@link Agreements}, from the registry snapshot; issue 13). Refused → HTTP 403, status 2000, naming
 * the missing agreement ({@link AgreementRefusal}).
 *
 * <p>Passes unchanged: relay calls (a CommandResult, a charging profile result, a CDR Location or a page link handed
 * out earlier keeps working until it expires, even when the agreement ended since), calls without a receiver
 * (Broadcast Push and GET All, which the hub answers and filters per receiver and per owner; an authorize asked of
 * every candidate, whose candidates are filtered by {@code OpenRoutingFanOut}), and calls between a party and itself.
 */
@Component
@Order(RoutingOrder.AGREEMENT_CHECK)
public class AgreementCheck implements RoutingStep {

    private final Agreements agreements;

    public AgreementCheck(Agreements agreements) {
        this.agreements = agreements;
    }

    @Override
    public Mono<RoutingContext> apply(RoutingContext context) {
        if (context.isRelay() || context.receiver() == null) {
            return Mono.just(context);
        }
        return agreements.refusal(context.headers().from(), context.receiver().party(), context.call().module())
                .<Mono<RoutingContext>>map(message -> Mono.error(AgreementRefusal.of(message)))
                .orElseGet(() -> Mono.just(context));
    }
}
