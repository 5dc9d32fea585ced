package org.ocpihub.router.party;

import org.ocpihub.registry.http.OcpiException;
import org.ocpihub.router.pipeline.RoutingContext;
import org.ocpihub.router.pipeline.RoutingHeaders;
import org.ocpihub.router.pipeline.RoutingOrder;
import org.ocpihub.router.pipeline.RoutingStep;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;

/**
 * Reads the OCPI-from and OCPI-to pairs of every call, routed or relayed ({@link RoutingHeaders#read}, TF 4.1.8.2):
 * the from-pair is required, the to-pair comes whole or not at all. Malformed or missing → HTTP 400, status 2001,
 * naming the header.
 */
@Component
@Order(RoutingOrder.READ_HEADERS)
public class ReadRoutingHeaders implements RoutingStep {

    @Override
    public Mono<RoutingContext> apply(RoutingContext context) {
        try {
            return Mono.just(context.withHeaders(RoutingHeaders.read(context.exchange().getRequest().getHeaders())));
        } catch (OcpiException e) {
            return Mono.error(e);
        }
    }
}
