package org.ocpihub.ocpi.version;

import java.util.Arrays;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonValue;

/** OCPI ModuleID (VER 6.2.5): functional modules are routed, configuration modules are served by the hub. */
public enum ModuleId {
    CDRS("cdrs", true),
    CHARGING_PROFILES("chargingprofiles", true),
    COMMANDS("commands", true),
    CREDENTIALS("credentials", false),
    HUB_CLIENT_INFO("hubclientinfo", false),
    LOCATIONS("locations", true),
    SESSIONS("sessions", true),
    TARIFFS("tariffs", true),
    TOKENS("tokens", true);

    private final String id;
    private final boolean functional;

    ModuleId(String id, boolean functional) {
        this.id = id;
        this.functional = functional;
    }

    @JsonValue
    public String id() {
        return id;
    }

    /** Functional modules carry routing headers and are routed (TF 4.1.8.2). */
    public boolean isFunctional() {
        return functional;
    }

    /** The module for a wire id; custom modules (VER 6.2.5.1) and unknown ids are empty. */
    public static Optional<ModuleId> fromId(String id) {
        return Arrays.stream(values()).filter(m -> m.id.equals(id)).findFirst();
    }
}
