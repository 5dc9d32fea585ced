package org.ocpihub.testkit.party;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The OCPI-to/OCPI-from routing headers (TF 4.1.8.2) a platform puts on its functional-module responses (to = the
 * requester's from-pair, from = the addressed role of this platform) and on requests it sends on its own.
 */
final class RoutingHeaders {

    static final String TO_COUNTRY = "OCPI-to-country-code";
    static final String TO_PARTY = "OCPI-to-party-id";
    static final String FROM_COUNTRY = "OCPI-from-country-code";
    static final String FROM_PARTY = "OCPI-from-party-id";
    private static final List<String> ALL = List.of(TO_COUNTRY, TO_PARTY, FROM_COUNTRY, FROM_PARTY);

    private final List<PartyRole> roles;

    RoutingHeaders(List<PartyRole> roles) {
        this.roles = List.copyOf(roles);
    }

    /**
     * Adds the swapped routing headers to a functional-module reply, unless the reply already sets routing headers
     * (a custom route may set its own). Without a from-pair on the request, the reply carries only its from-pair.
     */
    OcpiReply onReply(RecordedRequest request, String moduleInterface, OcpiReply reply) {
        boolean alreadySet = reply.headers().keySet().stream().anyMatch(name -> ALL.stream()
                .anyMatch(name::equalsIgnoreCase));
        if (alreadySet) {
            return reply;
        }
        Map<String, String> headers = answerTo(request, moduleInterface);
        OcpiReply result = reply;
        for (Map.Entry<String, String> header : headers.entrySet()) {
            result = result.withHeader(header.getKey(), header.getValue());
        }
        return result;
    }

    /** Routing headers for a message back to the requester of {@code request}: to = its from, from = us. */
    Map<String, String> answerTo(RecordedRequest request, String moduleInterface) {
        Map<String, String> headers = new LinkedHashMap<>();
        String requesterCountry = request.header(FROM_COUNTRY);
        String requesterParty = request.header(FROM_PARTY);
        if (requesterCountry != null && requesterParty != null) {
            headers.put(TO_COUNTRY, requesterCountry);
            headers.put(TO_PARTY, requesterParty);
        }
        PartyRole self = addressed(request, moduleInterface);
        headers.put(FROM_COUNTRY, self.countryCode());
        headers.put(FROM_PARTY, self.partyId());
        return headers;
    }

    /**
     * Which of our roles a request addresses: the one its to-pair names (case-insensitive, CiString), else the role
     * that typically implements the interface (CPO or EMSP), else our first role.
     */
    PartyRole addressed(RecordedRequest request, String moduleInterface) {
        String country = request.header(TO_COUNTRY);
        String party = request.header(TO_PARTY);
        if (country != null && party != null) {
            for (PartyRole role : roles) {
                if (role.countryCode().equalsIgnoreCase(country) && role.partyId().equalsIgnoreCase(party)) {
                    return role;
                }
            }
        }
        return roleFor(moduleInterface);
    }

    /** Our role that typically implements an interface, else our first role. */
    PartyRole roleFor(String moduleInterface) {
        String wanted = ModulePaths.ownerRole(moduleInterface);
        return roles.stream().filter(r -> r.role().equalsIgnoreCase(wanted)).findFirst().orElse(roles.get(0));
    }
}
