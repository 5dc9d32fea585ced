package org.ocpihub.router.forward;

import org.ocpihub.ocpi.OcpiHeaders;
import org.ocpihub.ocpi.party.PartyId;
import org.springframework.http.HttpHeaders;

/** The OCPI-from and OCPI-to values a forwarded request carries, exactly as they will be written. */
public record OutgoingParties(String fromCountryCode, String fromPartyId, String toCountryCode, String toPartyId) {

    /** From the incoming headers, unchanged (TF 4.1.8.6); {@code chosenTo} replaces the to-pair when the hub chose. */
    public static OutgoingParties of(HttpHeaders in, PartyId chosenTo) {
        return new OutgoingParties(in.getFirst(OcpiHeaders.FROM_COUNTRY_CODE), in.getFirst(OcpiHeaders.FROM_PARTY_ID),
                chosenTo != null ? chosenTo.countryCode() : in.getFirst(OcpiHeaders.TO_COUNTRY_CODE),
                chosenTo != null ? chosenTo.partyId() : in.getFirst(OcpiHeaders.TO_PARTY_ID));
    }

    public static OutgoingParties of(PartyId from, PartyId to) {
        return new OutgoingParties(from.countryCode(), from.partyId(), to.countryCode(), to.partyId());
    }
}
