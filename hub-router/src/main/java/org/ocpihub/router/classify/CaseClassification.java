package org.ocpihub.router.classify;

import org.ocpihub.ocpi.OcpiStatus;
import org.ocpihub.router.pipeline.RoutingContext;
import org.ocpihub.router.pipeline.RoutingOrder;
import org.ocpihub.router.pipeline.RoutingStep;
import org.ocpihub.router.pipeline.RoutingException;
import org.ocpihub.router.pipeline.Classification;
import org.ocpihub.router.pipeline.RoutingCase;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;

/** Classifies the request (D2) and refuses what the table refuses, naming the rule (status 2001). */
@Component
@Order(RoutingOrder.CLASSIFY)
public class CaseClassification implements RoutingStep {

    @Override
    public Mono<RoutingContext> apply(RoutingContext context) {
        if (context.isRelay()) {
            return Mono.just(context); // a relay call is DIRECT to the relay's owner (RelayResolution)
        }
        HttpMethod method = context.exchange().getRequest().getMethod();
        Classification classification = RequestClassifier.classify(new RouteRequest(context.call().module(),
                context.call().interfaceRole(), method, context.call().collection(), context.headers().to()),
                context.hub());
        if (classification.routingCase() == RoutingCase.REFUSED) {
            return Mono.error(new RoutingException(OcpiStatus.INVALID_OR_MISSING_PARAMETERS,
                    classification.reason()));
        }
        return Mono.just(context.withClassification(classification));
    }
}
