package org.ocpihub.console.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.ocpihub.registry.messagelog.MessageLogEntry;

/** The trace page's grouping: one timeline per correlation, oldest first within, newest timeline first. */
class TraceTimelinesTest {

    private static final Instant T = Instant.parse("2026-12-01T05:00:00Z");

    @Test
    void aBroadcastsAcceptanceAndDeliveriesShareOneTimelineInTheOrderTheyHappened() {
        MessageLogEntry accepted = entry(1L, 0, MessageLogEntry.Kind.BROADCAST_ACCEPTED, "req-1", "corr-1", "b-1");
        MessageLogEntry deliveryA = entry(2L, 2, MessageLogEntry.Kind.DELIVERY, null, "corr-1", "b-1");
        MessageLogEntry deliveryB = entry(3L, 1, MessageLogEntry.Kind.DELIVERY, null, "corr-1", "b-1");
        MessageLogEntry other = entry(4L, 5, MessageLogEntry.Kind.ROUTED, "req-2", null, null);

        List<TraceController.Timeline> timelines = TraceController.timelines(
                List.of(other, deliveryA, deliveryB, accepted)); // newest first, as the log answers

        assertThat(timelines).extracting(TraceController.Timeline::key).containsExactly("req-2", "corr-1");
        assertThat(timelines.get(0).label()).isEqualTo("Request");
        assertThat(timelines.get(1).entries()).containsExactly(accepted, deliveryB, deliveryA);
        assertThat(timelines.get(1).start()).isEqualTo(T);
    }

    private static MessageLogEntry entry(Long id, int second, MessageLogEntry.Kind kind, String requestId,
                                         String correlationId, String broadcastId) {
        return new MessageLogEntry(id, T.plusSeconds(second), "i", kind, requestId, null, correlationId, "locations",
                "RECEIVER", "PUT", kind == MessageLogEntry.Kind.ROUTED ? "DIRECT" : "BROADCAST", "NL", "CPO", "DE",
                "EMS", null, null, null, null, null, broadcastId, null, null, 200, 1000, 3, null, null);
    }
}
