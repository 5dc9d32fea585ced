package org.ocpihub.registry.operator;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.ocpihub.ocpi.OcpiDateTime;
import org.ocpihub.ocpi.credentials.TokenEncoding;
import org.ocpihub.ocpi.party.BusinessDetails;
import org.ocpihub.ocpi.party.ConnectionStatus;
import org.ocpihub.ocpi.party.Role;
import org.ocpihub.ocpi.version.InterfaceRole;
import org.ocpihub.registry.platform.Platform;

import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;
import tools.jackson.databind.annotation.JsonSerialize;

/**
 * A platform as the admin API shows it; never a token. {@code tokenA} and {@code versionsUrlForPlatform} appear only
 * in the answer that issued a token A.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record PlatformView(
        UUID id,
        String name,
        ConnectionStatus status,
        boolean registered,
        String version,
        String platformVersionsUrl,
        TokenEncoding tokenEncoding,
        List<RoleView> roles,
        List<EndpointView> endpoints,
        @JsonSerialize(using = OcpiDateTime.Serializer.class) Instant lastSeen,
        @JsonSerialize(using = OcpiDateTime.Serializer.class) Instant createdAt,
        @JsonSerialize(using = OcpiDateTime.Serializer.class) Instant updatedAt,
        String tokenA,
        String versionsUrl) {

    /** A granted role; {@code claimed} once the platform's credentials listed it. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record RoleView(Role role, String countryCode, String partyId, BusinessDetails businessDetails,
                           boolean claimed) {
    }

    /** One endpoint the platform offers. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record EndpointView(String module, InterfaceRole role, String url) {
    }

    public static PlatformView of(Platform p, Instant lastSeen) {
        return new PlatformView(p.id(), p.name(), p.status(), p.registered(), p.version(), p.versionsUrl(),
                p.tokenEncoding(),
                p.roles().stream().map(r -> new RoleView(r.partyRole().role(), r.partyRole().party().countryCode(),
                        r.partyRole().party().partyId(), r.businessDetails(), r.claimed())).toList(),
                p.endpoints().stream().map(e -> new EndpointView(e.module().id(), e.role(), e.url())).toList(),
                lastSeen, p.createdAt(), p.updatedAt(), null, null);
    }

    public PlatformView withTokenA(String tokenA, String hubVersionsUrl) {
        return new PlatformView(id, name, status, registered, version, platformVersionsUrl, tokenEncoding, roles,
                endpoints, lastSeen, createdAt, updatedAt, tokenA, hubVersionsUrl);
    }
}
