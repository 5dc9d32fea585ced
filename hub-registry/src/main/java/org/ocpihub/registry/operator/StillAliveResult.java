package org.ocpihub.registry.operator;

import java.util.UUID;

import org.ocpihub.ocpi.party.ConnectionStatus;

import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * What an operator's "still-alive check now" found (HCI 15.2.3).
 *
 * @param platformId the platform
 * @param alive      whether it answered the probe of its versions endpoint with an OCPI success
 * @param status     its status after the check
 * @param message    what happened and what follows, in operator words
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record StillAliveResult(UUID platformId, boolean alive, ConnectionStatus status, String message) {
}
