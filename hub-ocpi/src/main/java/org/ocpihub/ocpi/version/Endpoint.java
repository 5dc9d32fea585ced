package org.ocpihub.ocpi.version;

import java.util.Optional;

/**
 * One endpoint of version details (VER 6.2.3). The identifier stays a string because peers may list custom modules
 * (VER 6.2.5.1) the hub does not know; {@link #module()} reads it.
 */
public record Endpoint(String identifier, InterfaceRole role, String url) {

    public static Endpoint of(ModuleId module, InterfaceRole role, String url) {
        return new Endpoint(module.id(), role, url);
    }

    public Optional<ModuleId> module() {
        return ModuleId.fromId(identifier);
    }
}
