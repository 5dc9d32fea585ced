package org.ocpihub.router;

import org.ocpihub.registry.outbound.MemberFailures;
import java.time.Duration;
import org.ocpihub.registry.config.HubProperties;
import org.ocpihub.registry.secret.PolicyAddressResolverGroup;
import org.ocpihub.router.pipeline.RoutingProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Wires routing: circuit breakers per receiving platform and their metrics (the client for receivers is the one
 * outbound client, {@code OutboundHttpClients} in hub-registry).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RoutingProperties.class)
public class RouterConfiguration {

    /**
     * One breaker per receiving platform. What counts as the receiver's failure is {@link MemberFailures}' rule (the
     * one delivery retries and the still-alive check use): an error unless it is the requester's (a hang-up, a body
     * the hub refused), and an answer with HTTP 5xx.
     */
    @Bean
    public CircuitBreakerRegistry receiverCircuitBreakers(RoutingProperties properties, MeterRegistry meters) {
        CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .failureRateThreshold(properties.circuitBreakerFailureRate())
                .slidingWindowSize(properties.circuitBreakerWindow())
                .minimumNumberOfCalls(Math.min(10, properties.circuitBreakerWindow()))
                .waitDurationInOpenState(properties.circuitBreakerOpenFor())
                .permittedNumberOfCallsInHalfOpenState(2)
                .recordException(MemberFailures::isFailure)
                // not a failure of the receiver, nor a success: a requester's hang-up says nothing about it
                .ignoreException(e -> !MemberFailures.isFailure(e))
                .recordResult(MemberFailures::isFailedAnswer)
                .build());
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(registry).bindTo(meters);
        return registry;
    }
}
