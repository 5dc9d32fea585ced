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
            throw new InvalidField(field, length, "missing " + field);
        }
        if (value.length() > length || !CiString.isPrintableAscii(value)) {
            throw new InvalidField(field, length, field + " must be at most " + length
                    + " printable ASCII characters: '" + value + "'");
        }
        return CiString.key(value);
    }

    /**
     * A country_code or party_id that is missing, too long or not printable ASCII. It names the field, so that a
     * caller reporting to a user (e.g. {@code party_b.party_id: ...}) need not repeat these rules to find it.
     *
     * @param field     {@code country_code} or {@code party_id}
     * @param maxLength the field's CiString length: 2 or 3
     */
    public static final class InvalidField extends IllegalArgumentException {
        private final String field;
        private final int maxLength;

        InvalidField(String field, int maxLength, String message) {
            super(message);
            this.field = field;
            this.maxLength = maxLength;
        }

        /** {@code country_code} or {@code party_id}. */
        public String field() {
            return field;
        }

        /** The field's CiString length: 2 or 3. */
        public int maxLength() {
            return maxLength;
        }
    }

    @Override
    public String toString() {
        return countryCode + "/" + partyId;
    }
}
