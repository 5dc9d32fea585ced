package org.ocpihub.broadcast.delivery;

import java.time.Instant;
import java.util.UUID;

import org.ocpihub.ocpi.OcpiDateTime;

import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;
import tools.jackson.databind.annotation.JsonSerialize;

/**
 * A failed (or replayed) broadcast delivery as operators see it. The body is not shown: it may hold personal data.
 *
 * @param status    {@code FAILED} or {@code REPLAYED}
 * @param attempts  how many times the hub tried, operator replays included
 * @param lastError the last attempt's error in words
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record DeliveryView(UUID id, String correlationId, String broadcastId, UUID receiverPlatformId,
                           String receiver, String module, String method, String path, int attempts,
                           String lastError, String status,
                           @JsonSerialize(using = OcpiDateTime.Serializer.class) Instant createdAt,
                           @JsonSerialize(using = OcpiDateTime.Serializer.class) Instant updatedAt) {

    static DeliveryView of(DeliveryFailure f) {
        return new DeliveryView(f.id(), f.correlationId(), f.broadcastId(), f.receiverPlatformId(),
                f.receiver().toString(), f.module().id(), f.method(),
                f.pathSuffix() + (f.query() == null ? "" : "?" + f.query()), f.attempts(), f.lastError(),
                f.status(), f.createdAt(), f.updatedAt());
    }
}
