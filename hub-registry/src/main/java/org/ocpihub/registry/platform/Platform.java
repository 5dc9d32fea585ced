package org.ocpihub.registry.platform;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.ocpihub.ocpi.credentials.TokenEncoding;
import org.ocpihub.ocpi.party.ConnectionStatus;
import org.ocpihub.ocpi.version.InterfaceRole;
import org.ocpihub.ocpi.version.ModuleId;

/** A member platform as the registry knows it: no secrets here, see {@link PlatformSecrets}. */
public record Platform(
        UUID id,
        String name,
        ConnectionStatus status,
        boolean registered,
        String versionsUrl,
        String version,
        TokenEncoding tokenEncoding,
        List<GrantedRole> roles,
        List<PlatformEndpoint> endpoints,
        Instant createdAt,
        Instant updatedAt) {

    public Platform {
        roles = List.copyOf(roles);
        endpoints = List.copyOf(endpoints);
    }

    public Optional<PlatformEndpoint> endpoint(ModuleId module, InterfaceRole role) {
        return endpoints.stream().filter(e -> e.module() == module && e.role() == role).findFirst();
    }
}
