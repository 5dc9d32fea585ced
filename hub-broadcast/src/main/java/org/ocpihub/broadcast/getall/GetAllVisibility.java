package org.ocpihub.broadcast.getall;

import java.util.Set;

import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.registry.agreement.AgreementMode;
import org.ocpihub.registry.agreement.Agreements;
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
     * What the requester may list, narrowed by agreements (issue 13): where they gate a pair, only owners the
     * requester has an agreement with for the module (and itself) are shown.
     *
     * @param registered every party the registry knows (owners of stored objects are among them, or gone)
     */
    public static Scope scope(ModuleId module, PartyId requester, Set<Role> roles, Agreements agreements,
                              Set<PartyId> registered) {
        Scope byRole = scope(module, requester, roles);
        if (!byRole.allOwners() || agreements.book().mode() == AgreementMode.OPEN) {
            return byRole;
        }
        Set<PartyId> owners = new java.util.HashSet<>();
        owners.add(requester);
        registered.stream().filter(p -> agreements.allows(requester, p, module)).forEach(owners::add);
        return Scope.owners(owners);
    }

    /**
     * Every owner's objects, only those of {@code onlyOwner}, or those of the owners in {@code owners}.
     *
     * @param onlyOwner null unless one owner's objects are visible
     * @param owners    null unless a set of owners is visible (agreements)
     */
    public record Scope(PartyId onlyOwner, Set<PartyId> owners) {

        public static Scope everyOwner() {
            return new Scope(null, null);
        }

        public static Scope ownOnly(PartyId owner) {
            return new Scope(owner, null);
        }

        public static Scope owners(Set<PartyId> owners) {
            return new Scope(null, Set.copyOf(owners));
        }

        public boolean allOwners() {
            return onlyOwner == null && owners == null;
        }

        /** The visible owners as {@code CC/PID} keys, or null when not limited to a set. */
        public String[] ownerKeys() {
            return owners == null ? null : owners.stream().map(PartyId::toString).sorted().toArray(String[]::new);
        }

        public boolean sees(PartyId owner) {
            return onlyOwner != null ? onlyOwner.equals(owner) : owners == null || owners.contains(owner);
        }
    }
}
