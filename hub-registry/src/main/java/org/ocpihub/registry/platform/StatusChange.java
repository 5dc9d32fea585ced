package org.ocpihub.registry.platform;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.ocpihub.ocpi.OcpiDateTime;
import org.ocpihub.ocpi.party.ConnectionStatus;

import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;
import tools.jackson.databind.annotation.JsonSerialize;

/**
 * One change of a platform's connection status, as the database recorded it (whoever made it: handshake,
 * still-alive check, operator, on any instance).
 *
 * @param at        when (UTC, the changing transaction's time)
 * @param oldStatus the status before, null for the platform's creation
 * @param newStatus the status after
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record StatusChange(@JsonSerialize(using = OcpiDateTime.Serializer.class) Instant at,
                           ConnectionStatus oldStatus, ConnectionStatus newStatus) {
}
