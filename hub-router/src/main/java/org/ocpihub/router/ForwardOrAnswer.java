package org.ocpihub.router;

import java.util.List;
import java.util.Optional;

import org.ocpihub.ocpi.OcpiStatus;
import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.registry.http.ExchangeAttributes;
import org.ocpihub.router.forward.Forwarder;
import org.ocpihub.router.forward.OpenRoutingFanOut;
import org.ocpihub.router.forward.OutgoingParties;
import org.ocpihub.router.pipeline.HubOwnedRequests;
import org.ocpihub.router.pipeline.RelayCall;
import org.ocpihub.router.pipeline.RoutingCase;
import org.ocpihub.router.pipeline.RoutingContext;
import org.ocpihub.router.pipeline.RoutingException;
import org.ocpihub.router.pipeline.RoutingHeaders;
import org.ocpihub.router.pipeline.RoutingOrder;
import org.ocpihub.router.pipeline.RoutingStep;
import org.ocpihub.router.relay.RelayUrls;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;

/**
 * The end of the pipeline ({@link RoutingOrder#FORWARD_OR_ANSWER}), reached only when every check passed:
 * <ul>
 *   <li>a call with a receiver is forwarded to it ({@link Forwarder}): routing headers as received (open routing adds
 *       the to-pair the hub chose), the query as received (callbacks rewritten);</li>
 *   <li>an open-routed call nobody is known to own, whose module says so, is asked of every candidate
 *       ({@link OpenRoutingFanOut});</li>
 *   <li>a relay call goes on in the name of the party its URL was handed to, to the URL's owner, without the caller's
 *       query; when the owner is not connected (no receiver) → 4003 naming the owner;</li>
 *   <li>any other call is answered by the hub through the {@link HubOwnedRequests} that handles its case (Broadcast
 *       Push, GET All); a case none handles → 2001.</li>
 * </ul>
 */
@Component
@Order(RoutingOrder.FORWARD_OR_ANSWER)
public class ForwardOrAnswer implements RoutingStep {

    private final Forwarder forwarder;
    private final List<HubOwnedRequests> hubOwned;
    private final RelayUrls relayUrls;
    private final OpenRoutingFanOut fanOut;

    public ForwardOrAnswer(Forwarder forwarder, List<HubOwnedRequests> hubOwned, RelayUrls relayUrls,
                           OpenRoutingFanOut fanOut) {
        this.forwarder = forwarder;
        this.fanOut = fanOut;
        this.hubOwned = hubOwned;
        this.relayUrls = relayUrls;
    }

    @Override
    public Mono<RoutingContext> apply(RoutingContext context) {
        if (context.isRelay()) {
            return relayed(context).thenReturn(context);
        }
        if (context.askAll() != null) {
            return fanOut.ask(context);
        }
        if (context.receiver() != null) {
            context.exchange().getAttributes().put(ExchangeAttributes.ROUTE, RoutingMetrics.describe(context));
            PartyId chosen = context.classification().routingCase() == RoutingCase.OPEN_ROUTING
                    ? context.receiver().party() : null;
            return forwarder.forward(context, new Forwarder.Call(context.body(),
                    OutgoingParties.of(context.exchange().getRequest().getHeaders(), chosen), context.rawQuery(),
                    relayUrls.forContext(context), context.tap())).thenReturn(context);
        }
        return hubOwned.stream().filter(h -> h.handles(context.classification().routingCase())).findFirst()
                .map(h -> h.handle(context))
                .orElseGet(() -> Mono.error(new RoutingException(OcpiStatus.INVALID_OR_MISSING_PARAMETERS,
                        context.classification().routingCase() + " is not supported by this hub yet")))
                .thenReturn(context);
    }

    private Mono<Void> relayed(RoutingContext checked) {
        RelayCall relay = checked.relay();
        if (checked.receiver() == null) {
            return Mono.error(new RoutingException(OcpiStatus.CONNECTION_PROBLEM, "receiver " + relay.owner()
                    + " is not connected"));
        }
        checked.exchange().getAttributes().put(ExchangeAttributes.ROUTE, relay.describe());
        // the request's from-pair passed SenderCheck; what goes on speaks for the party the URL was handed to
        // (the owner expects its result from it, and a relay made from the answer's Link is handed to it too)
        RoutingContext context = checked.withHeaders(new RoutingHeaders(relay.handedTo(),
                Optional.of(relay.owner())));
        return forwarder.forward(context, new Forwarder.Call(context.body(),
                OutgoingParties.of(relay.handedTo(), relay.owner()), context.rawQuery(),
                relayUrls.forContext(context), context.tap()));
    }
}
