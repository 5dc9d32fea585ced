package org.ocpihub.router;

import java.time.Duration;
import java.util.Map;

import org.ocpihub.ocpi.version.ModuleId;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Routing settings ({@code hub.routing.*}): how long to wait for a receiver (per module overridable, e.g.
 * {@code hub.routing.module-timeouts.commands=30s}), the request rate each calling platform may use (0 = no limit),
 * and the circuit breaker per receiving platform.
 */
@ConfigurationProperties("hub.routing")
public record RoutingProperties(
        @DefaultValue("10s") Duration timeout,
        Map<String, Duration> moduleTimeouts,
        @DefaultValue("0") int rateLimit,
        @DefaultValue("50") int circuitBreakerFailureRate,
        @DefaultValue("20") int circuitBreakerWindow,
        @DefaultValue("10s") Duration circuitBreakerOpenFor,
        @DefaultValue("30s") Duration commandTimeoutGrace) {

    public Duration timeout(ModuleId module) {
        if (moduleTimeouts != null && moduleTimeouts.containsKey(module.id())) {
            return moduleTimeouts.get(module.id());
        }
        return timeout;
    }
}
