package org.ocpihub.broadcast.getall;

import java.util.Set;

import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.ocpi.party.Role;
import org.ocpihub.ocpi.version.InterfaceRole;
import org.ocpihub.ocpi.version.ModuleId;
import org.ocpihub.ocpi.module.ModuleProfile;

/**
 * Which stored objects a member sees in GET All via the hub (HUB §3.6: "only objects this client may see"), the same
 * parties that may GET it from its owner (the module profile's {@link ModuleProfile#requesting} of the SENDER
 * interface, the table the sender check uses): CPO data (Locations, Tariffs) is for EMSP, NSP, OTHER and NAP roles;
 * eMSP data (Tokens) is for CPOs. Every owner sees its own objects. The requester is the request's from-pair with the
 * roles its platform registered for it.
 */
public final class GetAllVisibility {

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
        // the roles that may request the module's SENDER interface from a member may list every owner's objects
        Set<Role> readers = ModuleProfile.of(module).requesting(InterfaceRole.SENDER);
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
