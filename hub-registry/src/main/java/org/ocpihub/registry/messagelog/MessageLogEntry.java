package org.ocpihub.registry.messagelog;

import java.time.Instant;
import java.util.UUID;

import org.ocpihub.ocpi.OcpiDateTime;

import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;
import tools.jackson.databind.annotation.JsonSerialize;

/**
 * One row of the message log (issue 9 item 7): the metadata of one request the hub routed or relayed, one broadcast
 * it accepted, or one broadcast delivery's outcome. Never a body, never a token: {@code error} is a short reason in
 * operator words ({@link #shortError}). Serialised snake_case with OCPI timestamps (the admin API shows it as is).
 *
 * @param id                 the row's id; null until stored
 * @param at                 when the request reached the hub (a delivery: when it ended), UTC
 * @param instanceId         the hub instance that handled it ({@link MessageLog#instanceId()}); null when appended
 *                           (the writing instance fills it in)
 * @param kind               what the row records
 * @param requestId          X-Request-ID as the requester sent it (or as the hub generated it when it sent none or an
 *                           unusable one); null for a delivery
 * @param outboundRequestId  X-Request-ID the hub sent to the receiver (what the receiver sees); null when nothing was
 *                           sent
 * @param correlationId      X-Correlation-ID, the same on the request, the forward and every delivery of a broadcast
 * @param module             OCPI module id ({@code locations}), or null when unknown (a relay call that was not found)
 * @param interfaceRole      {@code SENDER} or {@code RECEIVER}, or null when unknown
 * @param method             HTTP method
 * @param routingCase        DIRECT, OPEN_ROUTING, BROADCAST, GET_ALL, REFUSED, RELAY, UNCLASSIFIED
 * @param fromCountryCode    the OCPI-from party (upper case); for a delivery the broadcaster; null when not read
 * @param fromPartyId        see {@code fromCountryCode}
 * @param toCountryCode      the party the request went to (the receiver the hub chose, or the OCPI-to pair; the hub
 *                           for a broadcast acceptance); for a delivery the receiving party
 * @param toPartyId          see {@code toCountryCode}
 * @param senderPlatformId   the calling platform (a delivery: the broadcasting platform, null for Hub Client Info)
 * @param senderName         its name at the time
 * @param receiverPlatformId the platform the request was forwarded or delivered to; null when the hub answered
 * @param receiverName       its name at the time
 * @param objectId           the object the URL names (location, session, tariff, token id…), read with the module's
 *                           {@link org.ocpihub.ocpi.module.ModuleProfile} ({@link ObjectIds}); null when none
 * @param broadcastId        the broadcast's id (acceptance and deliveries)
 * @param attempts           a delivery's attempts (0: never sent); null for requests
 * @param outcome            a delivery's outcome: {@code DELIVERED}, {@code FAILED}, {@code SKIPPED_NOT_CONNECTED},
 *                           {@code CONFLATED};
 *                           null for requests
 * @param httpStatus         HTTP status answered to the requester (a delivery: the receiver's last answer), null when
 *                           there was none (no connection, the requester hung up)
 * @param ocpiStatus         OCPI status code of that answer when known
 * @param latencyMs          time in the hub from the request's arrival to the end of its answer, ms; null for a
 *                           delivery
 * @param acceptedAt         a delivery: when its broadcast was accepted (lag = {@code at - acceptedAt})
 * @param error              a short reason in operator words when it failed, else null
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record MessageLogEntry(
        Long id,
        @JsonSerialize(using = OcpiDateTime.Serializer.class) Instant at,
        String instanceId,
        Kind kind,
        String requestId,
        String outboundRequestId,
        String correlationId,
        String module,
        String interfaceRole,
        String method,
        String routingCase,
        String fromCountryCode,
        String fromPartyId,
        String toCountryCode,
        String toPartyId,
        UUID senderPlatformId,
        String senderName,
        UUID receiverPlatformId,
        String receiverName,
        String objectId,
        String broadcastId,
        Integer attempts,
        String outcome,
        Integer httpStatus,
        Integer ocpiStatus,
        Integer latencyMs,
        @JsonSerialize(using = OcpiDateTime.Serializer.class) Instant acceptedAt,
        String error) {

    /** What a row records. */
    public enum Kind {
        /** A request to a functional endpoint: forwarded, answered by the hub, or refused. */
        ROUTED,
        /** A call to a relay URL ({@code /ocpi/2.2.1/relay/<id>}). */
        RELAYED,
        /** A Broadcast Push the hub accepted (the broadcaster got 1000). */
        BROADCAST_ACCEPTED,
        /** The outcome of one broadcast copy for one receiving party, after its retries. */
        DELIVERY
    }

    /** The longest {@code error} kept. */
    public static final int MAX_ERROR_LENGTH = 300;

    /**
     * Whether this row counts as an error in the traffic figures: HTTP 400 or more, an OCPI status outside 1xxx, or
     * an error text (no answer at all).
     */
    public boolean failed() {
        return error != null || (httpStatus != null && httpStatus >= 400)
                || (ocpiStatus != null && (ocpiStatus < 1000 || ocpiStatus > 1999));
    }

    /**
     * A reason fit for the log: at most {@value #MAX_ERROR_LENGTH} characters, control characters replaced. The
     * callers pass the hub's own messages (routing errors, delivery outcomes), which name parties and fields, never
     * tokens or bodies.
     */
    public static String shortError(String message) {
        if (message == null || message.isBlank()) {
            return null;
        }
        String cut = message.length() > MAX_ERROR_LENGTH ? message.substring(0, MAX_ERROR_LENGTH - 1) + "…" : message;
        StringBuilder out = new StringBuilder(cut.length());
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            out.append(Character.isISOControl(c) ? ' ' : c);
        }
        return out.toString();
    }
}
