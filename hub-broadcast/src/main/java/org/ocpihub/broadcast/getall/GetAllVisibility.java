package org.ocpihub.broadcast.getall;

import java.util.EnumSet;
import java.util.Set;

import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.ocpi.party.Role;
import org.ocpihub.ocpi.version.ModuleId;

/**
 * Which stored objects a member sees in GET All via the hub (HUB §3.6: "only objects this client may see"), the same
 * parties a broadcast of that data reaches (TF 4.1.8.3): CPO data (Locations, Tariffs) is for EMSP, NSP, OTHER and NAP
 * roles; eMSP data (Tokens) is for CPOs. Every owner sees its own objects. The requester is the request's from-pair
 * with the roles its platform registered for it.
 */
public final class GetAllVisibility {

    private static final Set<Role> CPO_DATA_READERS = EnumSet.of(Role.EMSP, Role.NSP, Role.OTHER, Role.NAP);
    private static final Set<Role> EMSP_DATA_READERS = EnumSet.of(Role.CPO);

    private GetAllVisibility() {
    }

    /**
     * What the requester may list.
     *
     * @param module    locations, tariffs or tokens
     * @param requester the from-pair
     * @param roles     the roles the requester holds (claimed on its platform)
     */
    public static Scope scope(ModuleId module, PartyId requester, Set<Role> roles) {
        Set<Role> readers = switch (module) {
            case LOCATIONS, TARIFFS -> CPO_DATA_READERS;
            case TOKENS -> EMSP_DATA_READERS;
            default -> Set.of();
        };
        boolean everyOwner = roles.stream().anyMatch(readers::contains);
        return everyOwner ? Scope.everyOwner() : Scope.ownOnly(requester);
    }

    /**
     * Every owner's objects, or only those of {@code onlyOwner}.
     *
     * @param onlyOwner null when every owner's objects are visible
     */
    public record Scope(PartyId onlyOwner) {

        public static Scope everyOwner() {
            return new Scope(null);
        }

        public static Scope ownOnly(PartyId owner) {
            return new Scope(owner);
        }

        public boolean allOwners() {
            return onlyOwner == null;
        }

        public boolean sees(PartyId owner) {
            return onlyOwner == null || onlyOwner.equals(owner);
        }
    }
}
