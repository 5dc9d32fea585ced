package org.ocpihub.ocpi.version;

import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

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

    /**
     * Wire id → the module, as the Optional {@link #fromId} returns: looked up on every routed request and for every
     * endpoint row of a registry load, so neither a stream nor an Optional is made per call.
     */
    private static final Map<String, Optional<ModuleId>> BY_ID = Stream.of(values())
            .collect(Collectors.toUnmodifiableMap(ModuleId::id, Optional::of));

    /** The module for a wire id (exact spelling); custom modules (VER 6.2.5.1), unknown ids and null are empty. */
    public static Optional<ModuleId> fromId(String id) {
        return id == null ? Optional.empty() : BY_ID.getOrDefault(id, Optional.empty());
    }
}
