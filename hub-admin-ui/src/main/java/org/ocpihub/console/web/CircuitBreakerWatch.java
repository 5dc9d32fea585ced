package org.ocpihub.console.web;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;

/**
 * The router's circuit breakers as the overview shows them: the ones not CLOSED on this instance (one breaker per
 * receiving platform, named by its id, in hub-router's {@code CircuitBreakerRegistry}), with the time each last
 * changed state. resilience4j keeps no such time, so this listens to every breaker's state transitions from start-up
 * on; a breaker that changed before has no time ("before this instance's watch began" is shown).
 */
@Component
public class CircuitBreakerWatch {

    /**
     * A breaker not CLOSED.
     *
     * @param name  the breaker's name: the receiving platform's id
     * @param state OPEN, HALF_OPEN, FORCED_OPEN, DISABLED or METRICS_ONLY
     * @param since when it entered that state on this instance, or null when not seen
     */
    public record Breaker(String name, String state, Instant since) {
    }

    private final CircuitBreakerRegistry registry;
    private final Map<String, Instant> changedAt = new ConcurrentHashMap<>();

    /** Watches the registry when the router is in this application (it always is in the hub). */
    public CircuitBreakerWatch(ObjectProvider<CircuitBreakerRegistry> registry) {
        this.registry = registry.getIfAvailable();
        if (this.registry != null) {
            this.registry.getEventPublisher().onEntryAdded(e -> watch(e.getAddedEntry()));
            this.registry.getAllCircuitBreakers().forEach(this::watch);
        }
    }

    /** The breakers not CLOSED, the longest open first (unknown times last). */
    public List<Breaker> notClosed() {
        if (registry == null) {
            return List.of();
        }
        return registry.getAllCircuitBreakers().stream()
                .filter(cb -> cb.getState() != CircuitBreaker.State.CLOSED)
                .map(cb -> new Breaker(cb.getName(), cb.getState().name(), changedAt.get(cb.getName())))
                .sorted(Comparator.comparing(Breaker::since, Comparator.nullsLast(Comparator.naturalOrder()))
                        .thenComparing(Breaker::name))
                .toList();
    }

    private void watch(CircuitBreaker breaker) {
        breaker.getEventPublisher().onStateTransition(e -> changedAt.put(breaker.getName(),
                e.getCreationTime().toInstant()));
    }
}
