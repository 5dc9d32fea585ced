package org.ocpihub.broadcast.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.ocpihub.broadcast.delivery.Delivery;
import org.ocpihub.broadcast.delivery.DeliveryClient;
import org.ocpihub.broadcast.delivery.DeliveryOutcome;

import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * {@link ReceiverLanes#waiting()}: what the console shows as a receiver's broadcast backlog on this instance. The
 * deliverer here holds each delivery until the test releases it, so what waits is known exactly.
 */
class ReceiverLanesWaitingTest {

    private static final DeliveryClient.Result OK = new DeliveryClient.Result(DeliveryOutcome.DELIVERED, 1, null);

    private final List<Sinks.One<DeliveryClient.Result>> inFlight = new CopyOnWriteArrayList<>();
    private final ReceiverLanes lanes = new ReceiverLanes(d -> {
        Sinks.One<DeliveryClient.Result> result = Sinks.one();
        inFlight.add(result);
        return result.asMono();
    }, 3);

    @Test
    void countsTheDeliveriesQueuedBehindTheOneBeingSentPerReceiver() {
        UUID slow = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        assertThat(lanes.waiting()).isEmpty();

        Mono<DeliveryClient.Result> first = lanes.submit(delivery(slow));
        lanes.submit(delivery(slow));
        lanes.submit(delivery(slow));
        lanes.submit(delivery(other));

        // the first delivery of each lane is being sent: not waiting
        assertThat(lanes.waiting()).isEqualTo(Map.of(slow, 2));

        inFlight.get(0).tryEmitValue(OK);
        assertThat(first.block(Duration.ofSeconds(5))).isEqualTo(OK);
        assertThat(lanes.waiting()).isEqualTo(Map.of(slow, 1));
        lanes.destroy();
    }

    @Test
    void aDeliveryRefusedForAFullBacklogIsNotCountedAsWaiting() {
        UUID slow = UUID.randomUUID();
        int accepted = 0;
        DeliveryClient.Result refused = null;
        while (refused == null && accepted < 20) { // the lane takes its capacity plus what the drain prefetched
            DeliveryClient.Result now = lanes.submit(delivery(slow)).toFuture().getNow(null);
            if (now == null) {
                accepted++;
            } else {
                refused = now;
            }
        }
        assertThat(refused).isNotNull();
        assertThat(refused.outcome()).isEqualTo(DeliveryOutcome.FAILED);
        assertThat(refused.error()).contains("receiver backlog full");
        assertThat(accepted).isGreaterThanOrEqualTo(4);
        assertThat(lanes.waiting()).isEqualTo(Map.of(slow, accepted - 1));
        lanes.destroy();
    }

    /** What the backlog gauge reads: every receiver with a lane, its waiting deliveries, a signal per new lane. */
    @Test
    void theBacklogGaugeSeesEveryLaneAndHearsOfNewOnes() {
        java.util.concurrent.atomic.AtomicInteger opened = new java.util.concurrent.atomic.AtomicInteger();
        lanes.onNewLane(opened::incrementAndGet);
        UUID slow = UUID.randomUUID();
        UUID other = UUID.randomUUID();

        lanes.submit(delivery(slow));
        lanes.submit(delivery(slow));
        lanes.submit(delivery(other));

        assertThat(opened.get()).isEqualTo(2);
        assertThat(lanes.receivers()).containsExactlyInAnyOrder(slow, other);
        assertThat(lanes.waiting(slow)).isEqualTo(1);
        assertThat(lanes.waiting(other)).isZero();
        assertThat(lanes.waiting(UUID.randomUUID())).isZero();
        lanes.destroy();
    }

    private static Delivery delivery(UUID receiver) {
        return new Delivery(null, receiver, null);
    }
}
