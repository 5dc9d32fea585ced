package org.ocpihub.router.pipeline;

import java.util.Optional;

import org.ocpihub.ocpi.CiString;
import org.ocpihub.ocpi.OcpiHeaders;
import org.ocpihub.ocpi.OcpiStatus;
import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.registry.http.OcpiException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/**
 * The OCPI-from and OCPI-to pairs of a functional-module request (TF 4.1.8.2): the from-pair is required, the to-pair
 * comes whole or not at all (open routing). Malformed values are refused naming the header.
 */
public record RoutingHeaders(PartyId from, Optional<PartyId> to) {

    public static RoutingHeaders read(HttpHeaders headers) {
        PartyId from = pair(headers, OcpiHeaders.FROM_COUNTRY_CODE, OcpiHeaders.FROM_PARTY_ID)
                .orElseThrow(() -> invalid("missing routing headers " + OcpiHeaders.FROM_COUNTRY_CODE + " and "
                        + OcpiHeaders.FROM_PARTY_ID));
        return new RoutingHeaders(from, pair(headers, OcpiHeaders.TO_COUNTRY_CODE, OcpiHeaders.TO_PARTY_ID));
    }

    private static Optional<PartyId> pair(HttpHeaders headers, String countryHeader, String partyHeader) {
        String country = value(headers, countryHeader, 2);
        String party = value(headers, partyHeader, 3);
        if (country == null && party == null) {
            return Optional.empty();
        }
        if (country == null || party == null) {
            throw invalid("header " + (country == null ? countryHeader : partyHeader) + " is missing: "
                    + countryHeader + " and " + partyHeader + " come together");
        }
        return Optional.of(PartyId.of(country, party));
    }

    private static String value(HttpHeaders headers, String name, int maxLength) {
        String value = headers.getFirst(name);
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (value.length() > maxLength || !CiString.isPrintableAscii(value)) {
            throw invalid("header " + name + " must be at most " + maxLength + " printable ASCII characters");
        }
        return value;
    }

    private static OcpiException invalid(String message) {
        return new OcpiException(HttpStatus.BAD_REQUEST, OcpiStatus.INVALID_OR_MISSING_PARAMETERS, message);
    }
}
