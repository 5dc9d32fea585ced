package org.ocpihub.registry.platform;

import org.ocpihub.ocpi.party.BusinessDetails;
import org.ocpihub.ocpi.party.PartyRole;

/** A role the operator allowed a platform to host; {@code claimed} once the platform's credentials listed it. */
public record GrantedRole(PartyRole partyRole, BusinessDetails businessDetails, boolean claimed) {
}
