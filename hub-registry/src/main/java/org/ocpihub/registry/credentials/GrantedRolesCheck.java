package org.ocpihub.registry.credentials;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.ocpihub.ocpi.credentials.CredentialsRole;
import org.ocpihub.ocpi.party.PartyRole;
import org.ocpihub.registry.platform.GrantedRole;
import org.ocpihub.registry.platform.Platform;

/** D3: a platform may claim in its credentials only roles the operator granted it. */
final class GrantedRolesCheck {

    private GrantedRolesCheck() {
    }

    /** The first claimed role that was not granted, described for the error message, or null. */
    static String firstUngranted(Platform platform, List<CredentialsRole> claimed) {
        Set<PartyRole> granted = platform.roles().stream().map(GrantedRole::partyRole).collect(Collectors.toSet());
        return claimed.stream().map(CredentialsRole::partyRole).filter(r -> !granted.contains(r))
                .map(r -> "the platform claims role " + r + ", which was not granted (granted: "
                        + platform.roles().stream().map(g -> g.partyRole().toString()).toList()
                        + "): grant the role to the platform or have it remove the role from its credentials")
                .findFirst().orElse(null);
    }
}
