package org.ocpihub.registry.messagelog;

import java.util.UUID;

import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * How broadcast fan-out reached one receiving platform in a time window ({@link MessageLogQueries#receiverLag}).
 *
 * @param platformId   the receiving platform
 * @param platformName its newest name in the window
 * @param deliveries   deliveries that ended in the window (every outcome)
 * @param failed       of them failed after their retries (recorded for replay)
 * @param skipped      of them skipped: the receiver was not CONNECTED
 * @param p95LagMs     95th percentile, over the delivered ones, of the time from the broadcast's acceptance to the
 *                     end of its delivery, ms, over all instances; null when none was delivered
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ReceiverLag(UUID platformId, String platformName, long deliveries, long failed, long skipped,
                          Double p95LagMs) {
}
