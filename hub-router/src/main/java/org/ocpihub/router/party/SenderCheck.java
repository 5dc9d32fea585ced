package org.ocpihub.router.party;

import org.ocpihub.ocpi.module.ModuleProfile;
import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.registry.http.OcpiException;
import org.ocpihub.router.pipeline.RoutingContext;
import org.ocpihub.router.pipeline.RoutingOrder;
import org.ocpihub.router.pipeline.RoutingStep;
import org.ocpihub.router.pipeline.SenderRole;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;

/**
 * Who may say what (D3): the from-pair must be a party the calling platform registered, and on the RECEIVER
 * interface of a Client Owned Object module (its profile has an object URL,
 * {@link ModuleProfile#clientOwnedObjectUrl}) the {@code {country_code}/{party_id}} in the URL must be the from-pair
 * (TF 4.1.5.1). Violations → HTTP 403, status 2001, naming the mismatch. The role the party holds is checked once
 * the request is classified ({@link SenderRoleCheck}).
 */
@Component
@Order(RoutingOrder.SENDER_CHECK)
public class SenderCheck implements RoutingStep {

    @Override
    public Mono<RoutingContext> apply(RoutingContext context) {
        PartyId from = context.headers().from();
        if (SenderRole.held(context.caller().platform(), from).isEmpty()) {
            return Mono.error(forbidden("OCPI-from " + from + " is not a party of the calling platform"));
        }
        if (isClientOwnedObjectUrl(context) && context.call().segments().size() >= 2) {
            PartyId inUrl;
            try {
                inUrl = PartyId.of(context.call().segments().get(0), context.call().segments().get(1));
            } catch (IllegalArgumentException e) {
                return Mono.error(forbidden("URL party " + context.call().segments().get(0) + "/"
                        + context.call().segments().get(1) + " is not a country_code/party_id"));
            }
            if (!inUrl.equals(from)) {
                return Mono.error(forbidden("URL party " + inUrl + " differs from OCPI-from " + from));
            }
        }
        return Mono.just(context);
    }

    /** Whether the request's URL carries the owner's country_code/party_id (its module's profile says). */
    static boolean isClientOwnedObjectUrl(RoutingContext context) {
        return ModuleProfile.of(context.call().module()).clientOwnedObjectUrl(context.call().interfaceRole());
    }

    static OcpiException forbidden(String message) {
        return SenderRole.forbidden(message);
    }
}
