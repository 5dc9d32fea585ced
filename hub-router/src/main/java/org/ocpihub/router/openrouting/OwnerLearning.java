package org.ocpihub.router.openrouting;

import java.util.List;

import org.ocpihub.ocpi.StrictJson;
import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.ocpi.version.InterfaceRole;
import org.ocpihub.router.pipeline.RoutingContext;
import org.ocpihub.router.pipeline.RoutingOrder;
import org.ocpihub.router.pipeline.RoutingStep;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Feeds the owner indexes from what passes (D6): pushes on Client Owned Object URLs name their owner (the sender,
 * already checked against the URL), a session push also names the eMSP it goes to, a RESERVE_NOW the CPO holding
 * the reservation. Runs once the receiver is known; never delays the request.
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
        HttpMethod method = context.exchange().getRequest().getMethod();
        List<String> segments = context.call().segments();
        boolean push = method == HttpMethod.PUT || method == HttpMethod.PATCH;
        boolean receiver = context.call().interfaceRole() == InterfaceRole.RECEIVER;
        PartyId from = context.headers().from();
        if (push && receiver && segments.size() >= 3) {
            String id = segments.get(2);
            switch (context.call().module()) {
                case TOKENS -> index.learn(OwnerKind.TOKEN, id, from);
                case LOCATIONS -> index.learn(OwnerKind.LOCATION, id, from);
                case SESSIONS -> {
                    index.learn(OwnerKind.SESSION_CPO, id, from);
                    if (context.receiver() != null) {
                        index.learn(OwnerKind.SESSION_EMSP, id, context.receiver().party());
                    }
                }
                default -> { }
            }
        }
        if (context.call().module() == org.ocpihub.ocpi.version.ModuleId.COMMANDS && receiver
                && context.receiver() != null && context.bodyBuffered()
                && segments.size() == 1 && "RESERVE_NOW".equals(segments.get(0))) {
            JsonNode reservation = StrictJson.readObject(context.body()).get("reservation_id");
            if (reservation != null && !reservation.isNull()) {
                index.learn(OwnerKind.RESERVATION, reservation.asString(), context.receiver().party());
            }
        }
        return Mono.just(context);
    }
}
