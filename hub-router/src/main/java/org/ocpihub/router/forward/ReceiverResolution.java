package org.ocpihub.router.forward;

import org.ocpihub.router.pipeline.RoutingContext;
import org.ocpihub.router.pipeline.RoutingOrder;
import org.ocpihub.router.pipeline.RoutingStep;
import org.ocpihub.router.openrouting.OpenRoutingResolver;
import org.ocpihub.router.pipeline.RoutingException;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;

/**
 * Picks the receiver: the to-pair for DIRECT, the owner the hub finds for OPEN_ROUTING (D6); an open-routed call
 * whose owner nobody knows and whose module says to ask every candidate is marked so
 * ({@link RoutingContext#withAskAll}) and left without a receiver ({@code OpenRoutingFanOut} asks).
 */
@Component
@Order(RoutingOrder.RESOLVE_RECEIVER)
public class ReceiverResolution implements RoutingStep {

    private final ReceiverDirectory directory;
    private final OpenRoutingResolver openRouting;

    public ReceiverResolution(ReceiverDirectory directory, OpenRoutingResolver openRouting) {
        this.directory = directory;
        this.openRouting = openRouting;
    }

    @Override
    public Mono<RoutingContext> apply(RoutingContext context) {
        if (context.isRelay()) {
            return Mono.just(context); // RelayResolution set the relay's owner
        }
        return switch (context.classification().routingCase()) {
            case DIRECT -> direct(context);
            case OPEN_ROUTING -> openRouting.find(context)
                    .map(found -> found.owner() == null ? context.withAskAll(found.askAll())
                            : context.withReceiver(directory.find(found.owner(), context.call().module(),
                                    context.call().interfaceRole())));
            default -> Mono.just(context);
        };
    }

    /** An in-memory lookup: answered at once (Mono.just or Mono.error), so the pipeline goes on without a hop. */
    private Mono<RoutingContext> direct(RoutingContext context) {
        try {
            return Mono.just(context.withReceiver(directory.find(context.headers().to().get(),
                    context.call().module(), context.call().interfaceRole())));
        } catch (RoutingException e) {
            return Mono.error(e);
        }
    }
}
