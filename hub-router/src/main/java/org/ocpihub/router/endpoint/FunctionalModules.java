package org.ocpihub.router.endpoint;

import java.util.List;

import org.ocpihub.ocpi.version.ModuleId;

/** The functional modules the hub routes (TF 4.1.8.2): every one of them, both interfaces. */
public final class FunctionalModules {

    public static final List<ModuleId> ROUTED = List.of(ModuleId.CDRS, ModuleId.CHARGING_PROFILES, ModuleId.COMMANDS,
            ModuleId.LOCATIONS, ModuleId.SESSIONS, ModuleId.TARIFFS, ModuleId.TOKENS);

    private FunctionalModules() {
    }
}
