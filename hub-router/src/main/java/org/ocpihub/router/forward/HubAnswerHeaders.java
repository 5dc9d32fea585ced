package org.ocpihub.router.forward;

import org.ocpihub.ocpi.OcpiHeaders;
import org.ocpihub.ocpi.party.PartyId;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;

/**
 * The routing headers (TF 4.1.8, "Message Routing Headers") of the answers the hub gives to functional-module
 * requests. Per the tables of TF 4.1.8 ("Overview of required/optional routing headers for different scenarios"):
 * a response's {@code OCPI-to-*} names the requesting party and its {@code OCPI-from-*} the party that answers: the
 * hub for its own answers (broadcast, GET All, routing errors), the receiving party for a relayed direct or open
 * routing response ("Direct response | Hub to requesting platform | Requesting-party | Receiving-party").
 */
public final class HubAnswerHeaders {

    private HubAnswerHeaders() {
    }

    /**
     * An answer the hub gives itself: from = the hub, to = the requester's from-pair as it came (when it came).
     * Nothing is set once the response is committed.
     */
    public static void set(ServerWebExchange exchange, PartyId hub) {
        if (exchange.getResponse().isCommitted()) {
            return;
        }
        HttpHeaders headers = exchange.getResponse().getHeaders();
        headers.set(OcpiHeaders.FROM_COUNTRY_CODE, hub.countryCode());
        headers.set(OcpiHeaders.FROM_PARTY_ID, hub.partyId());
        HttpHeaders request = exchange.getRequest().getHeaders();
        if (request.getFirst(OcpiHeaders.FROM_COUNTRY_CODE) != null) {
            headers.set(OcpiHeaders.TO_COUNTRY_CODE, request.getFirst(OcpiHeaders.FROM_COUNTRY_CODE));
            headers.set(OcpiHeaders.TO_PARTY_ID, request.getFirst(OcpiHeaders.FROM_PARTY_ID));
        }
    }

    /**
     * A receiver's answer relayed to the requester: the hub writes the routing headers itself, from = {@code receiver}
     * (the party the hub routed the request to, whatever the receiver wrote) and to = {@code requester} (the
     * requester's from-pair), so that no receiver can answer in another party's name (D4's "routing headers
     * unchanged" is about the request the receiver gets, not about the answer).
     *
     * @param out       the headers of the answer to the requester
     * @param receiver  the party the hub routed the request to
     * @param requester the requester's from-pair ({@code OCPI-from-*} of its request)
     */
    public static void routed(HttpHeaders out, PartyId receiver, PartyId requester) {
        out.set(OcpiHeaders.FROM_COUNTRY_CODE, receiver.countryCode());
        out.set(OcpiHeaders.FROM_PARTY_ID, receiver.partyId());
        out.set(OcpiHeaders.TO_COUNTRY_CODE, requester.countryCode());
        out.set(OcpiHeaders.TO_PARTY_ID, requester.partyId());
    }
}
