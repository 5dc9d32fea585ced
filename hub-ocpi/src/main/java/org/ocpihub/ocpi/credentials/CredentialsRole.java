package org.ocpihub.ocpi.credentials;

import org.ocpihub.ocpi.FieldCheck;
import org.ocpihub.ocpi.party.BusinessDetails;
import org.ocpihub.ocpi.party.PartyRole;
import org.ocpihub.ocpi.party.Role;

import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/** OCPI CredentialsRole (CRED 7.4.1): one role a platform claims in its credentials. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CredentialsRole(Role role, BusinessDetails businessDetails, String partyId, String countryCode) {

    public void check(FieldCheck check) {
        check.required("role", role)
                .required("country_code", countryCode).maxLength("country_code", countryCode, 2)
                .printableAscii("country_code", countryCode)
                .required("party_id", partyId).maxLength("party_id", partyId, 3)
                .printableAscii("party_id", partyId)
                .required("business_details", businessDetails);
        if (businessDetails != null) {
            businessDetails.check(check.nested("business_details"));
        }
    }

    /** Only valid after {@link #check} found nothing. */
    public PartyRole partyRole() {
        return PartyRole.of(role, countryCode, partyId);
    }
}
