package org.ocpihub.broadcast.fanout;

import java.time.Duration;

import org.ocpihub.broadcast.delivery.Delivery;
import org.ocpihub.broadcast.delivery.DeliveryClient;
import org.ocpihub.broadcast.delivery.DeliveryFailureStore;
import org.ocpihub.broadcast.delivery.DeliveryOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * What happens when one broadcast delivery ended, however it reached its lane (straight from the fan-out or from the
 * durable receiver backlog): it is counted, and a failure is recorded for the operators' failed-delivery list and
 * replay. Completes once the failure is recorded (or could not be, which is logged).
 */
@Component
public class DeliverySettlement {

    private static final Logger log = LoggerFactory.getLogger(DeliverySettlement.class);

    private final BroadcastMetrics metrics;
    private final DeliveryFailureStore failures;

    public DeliverySettlement(BroadcastMetrics metrics, DeliveryFailureStore failures) {
        this.metrics = metrics;
        this.failures = failures;
    }

    /** Counts the ended delivery and records it when it failed; never errors. */
    public Mono<Void> settle(Delivery delivery, DeliveryClient.Result result) {
        metrics.delivery(delivery, result);
        if (result.outcome() != DeliveryOutcome.FAILED) {
            return Mono.empty();
        }
        log.warn("delivery of broadcast {} to {} failed after {} attempts correlation_id={}: {}",
                delivery.record().id(), delivery.receiver(), result.attempts(), delivery.record().correlationId(),
                result.error());
        return failures.record(delivery, result.attempts(), result.error())
                .retryWhen(Retry.backoff(5, Duration.ofMillis(200)))
                .doOnError(e -> log.error("could not record failed delivery of {} to {}: {}", delivery.record().id(),
                        delivery.receiver(), e.toString()))
                .onErrorResume(e -> Mono.empty())
                .then();
    }
}
