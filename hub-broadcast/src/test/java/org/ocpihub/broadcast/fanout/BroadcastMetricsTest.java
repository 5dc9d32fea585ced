package org.ocpihub.broadcast.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.ocpihub.broadcast.delivery.Delivery;
import org.ocpihub.broadcast.delivery.DeliveryClient;
import org.ocpihub.broadcast.delivery.DeliveryOutcome;
import org.ocpihub.broadcast.log.BroadcastRecord;
import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.ocpi.party.Role;
import org.ocpihub.ocpi.version.ModuleId;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Broadcast counters carry platforms, not parties: the pusher on {@code accepted}, the receiving platform on
 * {@code deliveries}, each by id (and by name, {@code unknown} when no registry knows it).
 */
class BroadcastMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final BroadcastMetrics metrics = new BroadcastMetrics(registry);

    @Test
    void acceptedPushesCountPerPushingPlatform() {
        UUID pusher = UUID.randomUUID();
        metrics.accepted(record(pusher));
        metrics.accepted(record(pusher));

        assertThat(registry.get("ocpihub.broadcast.accepted").tag("module", "locations")
                .tag("platform_id", pusher.toString()).tag("platform", "unknown").counter().count()).isEqualTo(2);
    }

    @Test
    void deliveriesCountPerReceivingPlatformAndOutcome() {
        UUID receiver = UUID.randomUUID();
        Delivery delivery = new Delivery(record(UUID.randomUUID()), receiver, PartyId.of("DE", "EMS"));
        metrics.delivery(delivery, new DeliveryClient.Result(DeliveryOutcome.FAILED, 4, "HTTP 500"));
        metrics.delivery(delivery, new DeliveryClient.Result(DeliveryOutcome.DELIVERED, 1, null));

        assertThat(registry.get("ocpihub.broadcast.deliveries").tag("receiver_id", receiver.toString())
                .tag("receiver", "unknown").tag("outcome", "FAILED").counter().count()).isEqualTo(1);
        assertThat(registry.get("ocpihub.broadcast.deliveries").tag("receiver_id", receiver.toString())
                .tag("outcome", "DELIVERED").counter().count()).isEqualTo(1);
        assertThat(registry.find("ocpihub.broadcast.deliveries").tag("receiver", "DE/EMS").counter()).isNull();
    }

    private static BroadcastRecord record(UUID pusher) {
        return new BroadcastRecord(UUID.randomUUID().toString(), "c", ModuleId.LOCATIONS, "PUT",
                PartyId.of("NL", "CPO"), Role.CPO, pusher, "/NL/CPO/LOC1", null, new byte[0], Instant.now());
    }
}
