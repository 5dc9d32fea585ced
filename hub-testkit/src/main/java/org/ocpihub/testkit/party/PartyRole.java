package org.ocpihub.testkit.party;

import java.util.Objects;

/** One OCPI CredentialsRole a platform hosts: role, country code, party id and business name (CRED 7.4.1). */
public record PartyRole(String role, String countryCode, String partyId, String businessName) {

    public PartyRole {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(countryCode, "countryCode");
        Objects.requireNonNull(partyId, "partyId");
        Objects.requireNonNull(businessName, "businessName");
    }
}
