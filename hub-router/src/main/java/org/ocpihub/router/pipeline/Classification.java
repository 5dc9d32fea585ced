package org.ocpihub.router.pipeline;

/** The classifier's verdict: the case and, for REFUSED, the rule that refused it. */
public record Classification(RoutingCase routingCase, String reason) {

    public static Classification of(RoutingCase routingCase) {
        return new Classification(routingCase, null);
    }

    public static Classification refused(String reason) {
        return new Classification(RoutingCase.REFUSED, reason);
    }
}
