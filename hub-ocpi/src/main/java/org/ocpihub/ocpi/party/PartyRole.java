package org.ocpihub.ocpi.party;

/** One (role, country_code, party_id) a platform hosts: the unit OCPI routes to and Hub Client Info announces. */
public record PartyRole(Role role, PartyId party) {

    public PartyRole {
        if (role == null || party == null) {
            throw new IllegalArgumentException("role and party are required");
        }
    }

    public static PartyRole of(Role role, String countryCode, String partyId) {
        return new PartyRole(role, PartyId.of(countryCode, partyId));
    }

    @Override
    public String toString() {
        return role + " " + party;
    }
}
