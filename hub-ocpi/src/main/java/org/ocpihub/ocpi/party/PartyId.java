package org.ocpihub.ocpi.party;

import org.ocpihub.ocpi.CiString;

/**
 * A party's country_code (CiString(2)) and party_id (CiString(3)), kept upper-case so that equality is the
 * case-insensitive comparison OCPI asks for.
 */
public record PartyId(String countryCode, String partyId) {

    public PartyId {
        countryCode = requireCi("country_code", countryCode, 2);
        partyId = requireCi("party_id", partyId, 3);
    }

    public static PartyId of(String countryCode, String partyId) {
        return new PartyId(countryCode, partyId);
    }

    private static String requireCi(String field, String value, int length) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("missing " + field);
        }
        if (value.length() > length || !CiString.isPrintableAscii(value)) {
            throw new IllegalArgumentException(field + " must be at most " + length + " printable ASCII characters: '"
                    + value + "'");
        }
        return CiString.key(value);
    }

    @Override
    public String toString() {
        return countryCode + "/" + partyId;
    }
}
