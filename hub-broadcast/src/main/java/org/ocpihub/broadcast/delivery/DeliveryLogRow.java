package org.ocpihub.broadcast.delivery;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.ocpihub.broadcast.log.BroadcastRecord;
import org.ocpihub.ocpi.version.InterfaceRole;
import org.ocpihub.registry.messagelog.MessageLogEntry;
import org.ocpihub.registry.messagelog.ObjectIds;
import org.ocpihub.registry.platform.PlatformRegistry;

/**
 * The message log row (kind DELIVERY) of one delivery's outcome, written by the fan-out and by an operator's replay
 * alike: from = the broadcaster (the data owner), to = the receiving party, the broadcaster's correlation id and the
 * broadcast id (so a trace search by either finds the acceptance and every delivery), the last attempt's request id
 * and answer, the attempts, and when the broadcast was accepted (the lag).
 */
public final class DeliveryLogRow {

    /** The {@code routing_case} of a delivery the fan-out made. */
    public static final String FAN_OUT = "BROADCAST";
    /** The {@code routing_case} of a delivery an operator replayed or resent from the console or the admin API. */
    public static final String OPERATOR_REPLAY = "REPLAY";

    private DeliveryLogRow() {
    }

    /**
     * @param routingCase {@link #FAN_OUT} or {@link #OPERATOR_REPLAY}
     * @param platforms   for the platforms' names (null: names left out)
     */
    public static MessageLogEntry of(Delivery delivery, DeliveryClient.Result result, String routingCase,
                                     PlatformRegistry platforms) {
        BroadcastRecord record = delivery.record();
        String receiverName = platforms == null ? null : platforms.snapshot().platform(delivery.receiverPlatformId())
                .map(e -> e.platform().name()).orElse(null);
        String senderName = platforms == null || record.senderPlatformId() == null ? null
                : platforms.snapshot().platform(record.senderPlatformId()).map(e -> e.platform().name()).orElse(null);
        return new MessageLogEntry(null, Instant.now(), null, MessageLogEntry.Kind.DELIVERY, null,
                result.requestId(), record.correlationId(), record.module().id(), InterfaceRole.RECEIVER.name(),
                record.method(), routingCase, record.owner().countryCode(), record.owner().partyId(),
                delivery.receiver().countryCode(), delivery.receiver().partyId(), record.senderPlatformId(),
                senderName, delivery.receiverPlatformId(), receiverName,
                ObjectIds.of(record.module(), InterfaceRole.RECEIVER, record.method(), segments(record.suffix()),
                        null),
                record.id(), result.attempts(), result.outcome().name(), result.httpStatus(), result.ocpiStatus(),
                null, record.acceptedAt(), MessageLogEntry.shortError(result.error()));
    }

    /** The decoded path segments of a broadcast's suffix ({@code /NL/CPO/LOC1}), as the router read them. */
    private static List<String> segments(String suffix) {
        if (suffix == null || suffix.isEmpty() || suffix.equals("/")) {
            return List.of();
        }
        List<String> segments = new ArrayList<>();
        for (String raw : (suffix.startsWith("/") ? suffix.substring(1) : suffix).split("/")) {
            segments.add(URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8));
        }
        return segments;
    }
}
