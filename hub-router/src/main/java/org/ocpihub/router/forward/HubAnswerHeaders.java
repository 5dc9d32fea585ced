package org.ocpihub.router.forward;

import org.ocpihub.ocpi.OcpiHeaders;
import org.ocpihub.ocpi.party.PartyId;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;

/** The hub's own answers to a functional-module request carry from = the hub, to = the requester (TF 4.1.8.6). */
public final class HubAnswerHeaders {

    private HubAnswerHeaders() {
    }

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
}
