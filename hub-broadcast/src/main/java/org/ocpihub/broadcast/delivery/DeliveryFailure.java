package org.ocpihub.broadcast.delivery;

import java.time.Instant;
import java.util.UUID;

import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.ocpi.version.ModuleId;

/** A delivery that finally failed, kept for operators (D7). */
public record DeliveryFailure(
        UUID id,
        String correlationId,
        String broadcastId,
        UUID receiverPlatformId,
        PartyId receiver,
        ModuleId module,
        String method,
        String pathSuffix,
        String query,
        byte[] body,
        int attempts,
        String lastError,
        String status,
        Instant createdAt,
        Instant updatedAt) {
}
