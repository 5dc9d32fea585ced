package org.ocpihub.router.pipeline;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.ocpihub.ocpi.OcpiStatus;
import org.ocpihub.ocpi.module.ModuleRoles;
import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.ocpi.party.Role;
import org.ocpihub.ocpi.version.InterfaceRole;
import org.ocpihub.ocpi.version.ModuleId;
import org.ocpihub.registry.http.OcpiException;
import org.ocpihub.registry.platform.GrantedRole;
import org.ocpihub.registry.platform.Platform;
import org.springframework.http.HttpStatus;

/**
 * The one rule for who may send a request (D3, issue 7 item 4): the from-pair must be a party the calling platform
 * hosts (a role its credentials claimed, compared as CiString), <em>in a role that may send this module on this
 * interface</em> ({@link ModuleRoles#requesting}). Only the caller's own roles count: when one country_code/party_id
 * is a CPO on one platform and an eMSP on another, the eMSP's platform cannot push Locations in its name.
 *
 * <p>{@link SenderRoleCheck} applies it to every direct, open-routed and broadcast request, before its body is read
 * and before anything is forwarded or stored; {@code BroadcastAcceptor} asks it for the role a broadcast is made in.
 * GET All via the hub is not a request to another member: any party of the caller may ask, and
 * {@code GetAllVisibility} lets it see every owner's objects only in a role that may request the module's SENDER
 * interface (the same table), else only its own.
 */
public final class SenderRole {

    private SenderRole() {
    }

    /**
     * The role in which {@code from} sends a request to {@code role} of {@code module}: the first of the caller's
     * claimed roles for that party that may send it.
     *
     * @param caller the authenticated platform (from the registry snapshot)
     * @param from   the request's OCPI-from pair
     * @throws OcpiException HTTP 403, status 2001, naming the from-pair, the roles the caller holds for it (if any)
     *                       and the module and interface, when no claimed role of the caller fits
     */
    public static Role require(Platform caller, PartyId from, ModuleId module, InterfaceRole role) {
        List<Role> held = held(caller, from);
        if (held.isEmpty()) {
            throw forbidden("OCPI-from " + from + " is not a party of the calling platform");
        }
        Set<Role> allowed = ModuleRoles.requesting(module, role);
        for (Role r : held) { // a loop, not a stream: this runs for every routed request
            if (allowed.contains(r)) {
                return r;
            }
        }
        throw forbidden("OCPI-from " + from + " is " + names(held) + " on the calling platform; requests to the "
                + module.id() + " " + role.name() + " interface come from "
                + (allowed.isEmpty() ? "no member role" : names(allowed)) + " parties");
    }

    /**
     * The roles the calling platform's credentials claimed for {@code from} (CiString comparison), in registry
     * order; empty when the party is not the caller's.
     */
    public static List<Role> held(Platform caller, PartyId from) {
        List<Role> held = null;
        for (GrantedRole r : caller.roles()) {
            if (r.claimed() && r.partyRole().party().equals(from)) {
                if (held == null) {
                    held = new ArrayList<>(2);
                }
                held.add(r.partyRole().role());
            }
        }
        return held == null ? List.of() : Collections.unmodifiableList(held);
    }

    private static String names(Collection<Role> roles) {
        return roles.stream().map(Role::name).collect(Collectors.joining(", "));
    }

    /** HTTP 403, status 2001, with {@code message}: what a refused sender is answered. */
    public static OcpiException forbidden(String message) {
        return new OcpiException(HttpStatus.FORBIDDEN, OcpiStatus.INVALID_OR_MISSING_PARAMETERS, message);
    }
}
