package org.ocpihub.router.openrouting;

import java.util.Set;

import org.ocpihub.ocpi.OcpiStatus;
import org.ocpihub.ocpi.module.ModuleProfile;
import org.ocpihub.ocpi.module.OwnerHint;
import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.ocpi.version.InterfaceRole;
import org.ocpihub.router.pipeline.RoutingContext;
import org.ocpihub.router.pipeline.RoutingException;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;

/**
 * Finds the receiver of a request without to-headers (TF 4.1.8.4, D6). Where to look is the module's
 * ({@link ModuleProfile#openRouting()}): the body where OCPI puts the owner ({@code cdr_token} of Sessions and CDRs),
 * otherwise an owner index (token, location, session, reservation), which this class asks. URL
 * {@code {country_code}/{party_id}} segments name the data owner, normally the caller, and are never used.
 * Unresolvable → 4001 with the reason.
 */
@Component
public class OpenRoutingResolver {

    private final OwnerIndex index;

    public OpenRoutingResolver(OwnerIndex index) {
        this.index = index;
    }

    public Mono<PartyId> resolve(RoutingContext context) {
        OwnerHint hint = ModuleProfile.of(context.call().module()).openRouting().find(context.moduleRequest());
        if (hint instanceof OwnerHint.Indexed indexed) {
            return index.owners(indexed.kind(), indexed.id()).flatMap(owners -> single(owners, indexed.what(),
                    indexed.id()));
        }
        if (hint instanceof OwnerHint.Named named) {
            return Mono.just(named.party());
        }
        String reason = ((OwnerHint.Unknown) hint).reason();
        return Mono.error(new RoutingException(OcpiStatus.UNKNOWN_RECEIVER, reason != null ? reason
                : "the hub cannot find the receiver of " + context.exchange().getRequest().getMethod() + " "
                        + context.call().module().id() + " " + context.call().interfaceRole()
                        + " without OCPI-to headers"));
    }

    private static Mono<PartyId> single(Set<PartyId> owners, String what, String id) {
        if (owners.isEmpty()) {
            return Mono.error(new RoutingException(OcpiStatus.UNKNOWN_RECEIVER, "cannot find the receiver: the hub "
                    + "has not seen " + what + " " + id + "; send OCPI-to headers"));
        }
        if (owners.size() > 1) {
            return Mono.error(new RoutingException(OcpiStatus.UNKNOWN_RECEIVER, what + " " + id + " is known at "
                    + owners.size() + " parties " + owners + "; send OCPI-to headers"));
        }
        return Mono.just(owners.iterator().next());
    }
}
