package org.ocpihub.ocpi.module;

import org.ocpihub.ocpi.version.InterfaceRole;
import org.ocpihub.ocpi.version.ModuleId;

/**
 * What a relayed URL is (D5): a URL inside a member platform that the hub hands out as one of its own
 * ({@code /ocpi/2.2.1/relay/<id>}), and where a call to it lands. The module profiles say which kinds each module
 * hands out ({@link ModuleProfile#callbacks()}, {@link ModuleProfile#answerRelay()}); the name is stored with each
 * relay, so constants are never renamed.
 */
public enum RelayKind {
    /** A Commands response_url: the CPO POSTs the CommandResult there (CMD 13.2.2, the eMSP's SENDER interface). */
    COMMAND(ModuleId.COMMANDS, InterfaceRole.SENDER, "POST"),
    /** A ChargingProfiles response_url: the CPO POSTs the result there (CP 14.4.2). */
    CHARGING_PROFILE(ModuleId.CHARGING_PROFILES, InterfaceRole.SENDER, "POST"),
    /** A CDR Location header: the CPO GETs the CDR from the eMSP there (CDR 10.2.2). */
    CDR_LOCATION(ModuleId.CDRS, InterfaceRole.RECEIVER, "GET"),
    /**
     * A pagination Link (or Location) the hub could not map onto an endpoint (TF 4.1.4.1). A relay does not keep the
     * module it came from, so a page is checked and timed as a locations SENDER call (only the module's body limit
     * and timeout depend on it, and a GET carries no body).
     */
    PAGE(ModuleId.LOCATIONS, InterfaceRole.SENDER, "GET");

    private final ModuleId module;
    private final InterfaceRole interfaceRole;
    private final String method;

    RelayKind(ModuleId module, InterfaceRole interfaceRole, String method) {
        this.module = module;
        this.interfaceRole = interfaceRole;
        this.method = method;
    }

    /** The module a call to this relay is routed as. */
    public ModuleId module() {
        return module;
    }

    /** The interface of {@link #module()} a call to this relay lands on. */
    public InterfaceRole interfaceRole() {
        return interfaceRole;
    }

    /** The one HTTP method (upper case) this relay keeps (issue 7 item 3); any other is 405. */
    public String method() {
        return method;
    }
}
