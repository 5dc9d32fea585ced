package org.ocpihub.registry.agreement;

import java.util.List;

import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * Admin API body that creates an agreement ({@code POST /admin/api/agreements}):
 * <pre>{@code {"party_a": {"country_code": "NL", "party_id": "ALP"},
 *  "party_b": {"country_code": "DE", "party_id": "E00"},
 *  "modules": ["locations", "tariffs"],            // or ["all"]
 *  "valid_from": "2027-01-01T00:00:00Z",           // optional, inclusive
 *  "valid_until": "2028-01-01T00:00:00Z"}          // optional, exclusive}</pre>
 * Fields are kept as text so that every problem is reported naming its field ({@link AgreementOperations#create}).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record AgreementRequest(PartyRef partyA, PartyRef partyB, List<String> modules, String validFrom,
                               String validUntil) {

    /** A party as the request names it. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record PartyRef(String countryCode, String partyId) {
    }
}
