package org.ocpihub.broadcast.store;

import org.ocpihub.broadcast.log.BroadcastRecord;

import reactor.core.publisher.Mono;

/**
 * The hub's copy of what was broadcast (D8): applies each accepted push as a receiver would, in the order the hub
 * accepted them per object, and serves GET All via the hub.
 */
public interface BroadcastStore {

    /** Applies one push: PUT replaces (an EVSE or connector PUT replaces that part of its location), PATCH merges,
     *  DELETE removes. A PATCH for an object never seen is stored as received. */
    Mono<Void> apply(BroadcastRecord record);
}
