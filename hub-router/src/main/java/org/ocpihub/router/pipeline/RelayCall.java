package org.ocpihub.router.pipeline;

import org.ocpihub.ocpi.party.PartyId;

/**
 * What a relay call ({@code /ocpi/2.2.1/relay/<id>}) stands for, once {@code RelayResolution} found it: the call goes
 * on in the name of {@code handedTo} (the party the hub URL was handed to) to {@code owner} (the party whose URL the
 * relay keeps). Null in the {@link RoutingContext} of a routed call.
 *
 * @param id       the relay id from the path
 * @param kind     what the relay keeps (COMMAND, CHARGING_PROFILE, CDR_LOCATION, PAGE), for the request log
 * @param handedTo the party the hub URL was handed to: the call's from-pair once the checks passed
 * @param owner    the party the original URL belongs to: the call's to-pair
 */
public record RelayCall(String id, String kind, PartyId handedTo, PartyId owner) {

    /** The one-line route description for the request log (never a token). */
    public String describe() {
        return "relay=" + kind + " from=" + handedTo + " to=" + owner;
    }
}
