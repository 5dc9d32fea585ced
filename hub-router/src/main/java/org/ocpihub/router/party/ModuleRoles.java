package org.ocpihub.router.party;

import java.util.EnumSet;
import java.util.Set;

import org.ocpihub.ocpi.party.Role;
import org.ocpihub.ocpi.version.InterfaceRole;
import org.ocpihub.ocpi.version.ModuleId;

/**
 * Which roles typically serve a module's interface (TERM 2.3.1). Routing headers carry no role, so when one
 * country_code/party_id is hosted by two platforms in different roles, this says which one a request is for.
 */
public final class ModuleRoles {

    private ModuleRoles() {
    }

    public static Set<Role> serving(ModuleId module, InterfaceRole role) {
        boolean sender = role == InterfaceRole.SENDER;
        return switch (module) {
            case LOCATIONS, TARIFFS -> sender ? EnumSet.of(Role.CPO, Role.NAP)
                    : EnumSet.of(Role.EMSP, Role.NSP, Role.NAP, Role.OTHER, Role.SCSP);
            case SESSIONS -> sender ? EnumSet.of(Role.CPO) : EnumSet.of(Role.EMSP, Role.SCSP, Role.OTHER);
            case CDRS -> sender ? EnumSet.of(Role.CPO) : EnumSet.of(Role.EMSP, Role.OTHER);
            case TOKENS -> sender ? EnumSet.of(Role.EMSP, Role.OTHER) : EnumSet.of(Role.CPO);
            case COMMANDS -> sender ? EnumSet.of(Role.EMSP, Role.SCSP, Role.OTHER) : EnumSet.of(Role.CPO);
            case CHARGING_PROFILES -> sender ? EnumSet.of(Role.EMSP, Role.SCSP, Role.OTHER) : EnumSet.of(Role.CPO);
            default -> EnumSet.noneOf(Role.class);
        };
    }
}
