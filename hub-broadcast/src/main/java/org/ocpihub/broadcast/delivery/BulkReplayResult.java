package org.ocpihub.broadcast.delivery;

import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * What a bulk replay did.
 *
 * @param matched  failed deliveries the filter matched (at most {@link DeliveryOperations#MAX_BULK})
 * @param replayed how many the receivers accepted now (status REPLAYED)
 * @param failed   how many failed again (still FAILED, with the new error)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record BulkReplayResult(int matched, int replayed, int failed) {
}
