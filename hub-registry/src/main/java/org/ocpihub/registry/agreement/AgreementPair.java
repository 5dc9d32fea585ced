package org.ocpihub.registry.agreement;

import org.ocpihub.ocpi.party.PartyId;

/**
 * Two different parties in one order ({@code first} sorts before {@code second} by country_code, then party_id, by
 * code point), so that an agreement between A and B is the same as one between B and A. Agreements are symmetric:
 * OCPI traffic between two parties flows both ways (a CPO pushes Locations, the eMSP sends Commands back).
 */
public record AgreementPair(PartyId first, PartyId second) {

    /** The pair of {@code a} and {@code b} in either order; they must differ. */
    public static AgreementPair of(PartyId a, PartyId b) {
        if (a.equals(b)) {
            throw new IllegalArgumentException("an agreement is between two different parties: " + a);
        }
        return compare(a, b) < 0 ? new AgreementPair(a, b) : new AgreementPair(b, a);
    }

    /** By country_code, then party_id (code points): no string built, as this runs on every gated routed call. */
    private static int compare(PartyId a, PartyId b) {
        int byCountry = a.countryCode().compareTo(b.countryCode());
        return byCountry != 0 ? byCountry : a.partyId().compareTo(b.partyId());
    }

    /** The other party of the pair, or null when {@code one} is in neither place. */
    public PartyId other(PartyId one) {
        return one.equals(first) ? second : one.equals(second) ? first : null;
    }

    @Override
    public String toString() {
        return first + " and " + second;
    }
}
