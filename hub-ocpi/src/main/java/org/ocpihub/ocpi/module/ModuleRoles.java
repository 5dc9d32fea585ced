package org.ocpihub.ocpi.module;

import java.util.EnumSet;
import java.util.Set;

import org.ocpihub.ocpi.party.Role;
import org.ocpihub.ocpi.version.InterfaceRole;
import org.ocpihub.ocpi.version.ModuleId;

/**
 * Which roles take part in a routed module, and on which side: the one table behind both questions the hub asks
 * about roles, because the routing headers carry none. A view on the {@link ModuleProfile}s (their
 * {@code senderInterface} and {@code receiverInterface}), where the table is declared.
 * <ul>
 *   <li>{@link #serving}: which roles implement a module's interface, i.e. may be called on it (when one
 *   country_code/party_id is hosted by two platforms in different roles, this says which one a request is for);</li>
 *   <li>{@link #requesting}: which roles may send a request to a module's interface. Every request on an interface
 *   comes from the opposite side: a pull (GET, a token authorize, charging preferences) on the SENDER interface comes
 *   from a party implementing the RECEIVER interface, a push (and a command) on the RECEIVER interface from a party
 *   implementing the SENDER interface, and a callback on the SENDER interface of Commands or Charging Profiles from
 *   the CPO that received the request. {@code SenderRole} (hub-router) applies it to the caller's roles.</li>
 * </ul>
 * The table is exactly what OCPI 2.2.1 says roles do, no more and no less: the typical implementations per role
 * (TERM 2.3.1), the "typically implemented by" line of each module's interfaces (LOC 8.2, SES 9.2, CDR 10.2,
 * TAR 11.2, TOK 12.2, CMD 13.2, CP 14.4) and "the role Other is seen as an eMSP type of role" (TF 4.1.8.3):
 * <pre>
 * module            SENDER interface       RECEIVER interface
 * locations         CPO, NAP               EMSP, NSP, NAP, OTHER
 * tariffs           CPO, NAP               EMSP, NSP, NAP, OTHER
 * sessions          CPO                    EMSP, SCSP, OTHER
 * cdrs              CPO                    EMSP, OTHER
 * tokens            EMSP, OTHER            CPO
 * commands          EMSP, OTHER            CPO
 * chargingprofiles  EMSP, SCSP, OTHER      CPO
 * </pre>
 * HUB is absent: the hub itself is the only HUB (members cannot be granted it). Configuration modules
 * (credentials, hub client info) are served by the hub, not routed, and have no roles here.
 */
public final class ModuleRoles {

    private ModuleRoles() {
    }

    /**
     * The roles that implement {@code role} of {@code module} (and so may be called on it).
     *
     * @return a new mutable set; empty for configuration modules
     */
    public static Set<Role> serving(ModuleId module, InterfaceRole role) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        roles.addAll(ModuleProfile.of(module).serving(role));
        return roles;
    }

    /**
     * The roles that may send a request to {@code role} of {@code module}: those implementing the other interface
     * of the module. For a push on locations RECEIVER that is CPO and NAP (the data's owners, also the only roles
     * that may broadcast it); for a GET on locations SENDER it is EMSP, NSP, NAP and OTHER.
     *
     * @return a new mutable set; empty for configuration modules
     */
    public static Set<Role> requesting(ModuleId module, InterfaceRole role) {
        return serving(module, role == InterfaceRole.SENDER ? InterfaceRole.RECEIVER : InterfaceRole.SENDER);
    }
}
