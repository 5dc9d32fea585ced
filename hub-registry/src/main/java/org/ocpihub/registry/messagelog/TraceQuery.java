package org.ocpihub.registry.messagelog;

import java.time.Instant;

import org.ocpihub.ocpi.party.PartyId;

/**
 * A trace search ({@link MessageLogQueries#trace}): every criterion given must match (AND); none given lists the
 * newest rows.
 *
 * @param correlationId an X-Correlation-ID, or a broadcast id: matches rows with either (a broadcast's acceptance and
 *                      all its deliveries share both), or null
 * @param requestId     an X-Request-ID as the requester sent it or as the hub sent it to a receiver, or null
 * @param party         a party, as sender (from) or as addressee (to), or null
 * @param objectId      an object id from a URL (location, session, tariff, token id…), compared as a CiString
 *                      (case-insensitive), or null
 * @param from          only rows at or after this instant, or null
 * @param to            only rows before this instant, or null
 * @param limit         the most rows returned, 1 to {@link #MAX_LIMIT}
 */
public record TraceQuery(String correlationId, String requestId, PartyId party, String objectId, Instant from,
                         Instant to, int limit) {

    /** The most rows one trace returns. */
    public static final int MAX_LIMIT = 1000;

    public TraceQuery {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1 to " + MAX_LIMIT);
        }
        correlationId = blankToNull(correlationId);
        requestId = blankToNull(requestId);
        objectId = blankToNull(objectId);
    }

    /** A search by correlation id (or broadcast id) alone. */
    public static TraceQuery byCorrelationId(String correlationId) {
        return new TraceQuery(correlationId, null, null, null, null, null, 200);
    }

    /** A search by request id alone. */
    public static TraceQuery byRequestId(String requestId) {
        return new TraceQuery(null, requestId, null, null, null, null, 200);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
