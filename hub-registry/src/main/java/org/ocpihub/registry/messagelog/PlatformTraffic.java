package org.ocpihub.registry.messagelog;

import java.util.UUID;

import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * One member platform's traffic in a time window ({@link MessageLogQueries#traffic}), in one direction. Each platform
 * has up to two rows: {@link Direction#SENT} (the requests it made through the hub: routed, relayed, broadcasts it
 * pushed; what load it puts on the hub and how often the hub or its peers refused it) and {@link Direction#RECEIVED}
 * (the requests the hub forwarded to it: how fast and how reliably it answers). Broadcast deliveries are not
 * counted here but in {@link ReceiverLag}.
 *
 * @param platformId        the platform
 * @param platformName      its newest name in the window
 * @param direction         which side of the requests this row counts
 * @param requests          requests in the window
 * @param requestsPerSecond {@code requests} / the window's seconds
 * @param errors            of them failed: HTTP 400 or more, an OCPI status outside 1xxx, or no answer at all
 * @param errorShare        {@code errors / requests}, 0 to 1
 * @param p95LatencyMs      95th percentile of the time in the hub (arrival to the end of the answer), ms, over all
 *                          instances (PostgreSQL's {@code percentile_cont}); null when no request has one
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record PlatformTraffic(UUID platformId, String platformName, Direction direction, long requests,
                              double requestsPerSecond, long errors, double errorShare, Double p95LatencyMs) {

    /** Which side of a request a traffic row counts the platform on. */
    public enum Direction {
        /** The platform made the requests (it is the sender). */
        SENT,
        /** The hub forwarded the requests to the platform (it is the receiver). */
        RECEIVED
    }
}
