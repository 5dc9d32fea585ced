package org.ocpihub.router.pipeline;

import java.util.Set;

import org.ocpihub.ocpi.module.OwnerKind;
import org.ocpihub.ocpi.party.PartyId;

import reactor.core.publisher.Mono;

/**
 * Who owns an object the hub keeps (D8: the Locations and Tokens broadcast through it), for open routing when no
 * owner index entry exists (issue 13 item 4). Implemented by hub-broadcast's store; without it (a hub built without
 * broadcast) nothing is found.
 */
@FunctionalInterface
public interface StoredOwners {

    /** Finds nothing. */
    StoredOwners NONE = (kind, objectId) -> Mono.just(Set.of());

    /**
     * The owners of the kept object {@code objectId} (compared as CiString) of {@code kind}: those whose object is
     * live, else those whose object was deleted (the owner still answers for it); empty when none, or when the hub
     * keeps no objects of that kind ({@link OwnerKind#storedAs()}).
     */
    Mono<Set<PartyId>> owners(OwnerKind kind, String objectId);
}
