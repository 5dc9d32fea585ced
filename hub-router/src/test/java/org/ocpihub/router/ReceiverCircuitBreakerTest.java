package org.ocpihub.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.ocpihub.router.forward.RequesterGoneAccess;
import org.ocpihub.router.pipeline.RoutingProperties;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** The circuit breaker per receiving platform counts the receiver's failures only. */
class ReceiverCircuitBreakerTest {

    @Test
    void theReceiversBreakerIgnoresRequesterHangUpsAndCountsRealFailures() {
        RoutingProperties properties = new RoutingProperties(java.time.Duration.ofSeconds(10), Map.of(), 0, 50, 20,
                java.time.Duration.ofSeconds(10), java.time.Duration.ofSeconds(30), null, Map.of(), 100_000, null);
        CircuitBreaker breaker = new RouterConfiguration()
                .receiverCircuitBreakers(properties, new SimpleMeterRegistry()).circuitBreaker("receiver");

        for (int i = 0; i < 50; i++) {
            breaker.acquirePermission();
            breaker.onError(0, java.util.concurrent.TimeUnit.NANOSECONDS,
                    new IllegalStateException(RequesterGoneAccess.gone()));
        }
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(breaker.getMetrics().getNumberOfFailedCalls()).isZero();

        for (int i = 0; i < 20 && breaker.tryAcquirePermission(); i++) {
            breaker.onError(0, java.util.concurrent.TimeUnit.NANOSECONDS, new ConnectException("refused"));
        }
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
    }
}
