package org.ocpihub.router.pipeline;

import java.time.Duration;
import java.util.Map;

import org.ocpihub.ocpi.version.ModuleId;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Routing settings ({@code hub.routing.*}): how long to wait for a receiver (per module overridable, e.g.
 * {@code hub.routing.module-timeouts.commands=30s}), the request rate each calling platform may use (0 = no limit),
 * the circuit breaker per receiving platform, and the largest request body routed (per module overridable, e.g.
 * {@code hub.routing.module-max-body-size.cdrs=4MB}; unset: {@code hub.http.max-body-size}), and how many objects the
 * open-routing owner indexes keep in memory ({@code owner-index-cache}, default 100 000; PostgreSQL keeps them all),
 * and how open routing asks every candidate when no index knows the owner ({@link FanOut}).
 */
@ConfigurationProperties("hub.routing")
public record RoutingProperties(
        @DefaultValue("10s") Duration timeout,
        Map<String, Duration> moduleTimeouts,
        @DefaultValue("0") int rateLimit,
        @DefaultValue("50") int circuitBreakerFailureRate,
        @DefaultValue("20") int circuitBreakerWindow,
        @DefaultValue("10s") Duration circuitBreakerOpenFor,
        @DefaultValue("30s") Duration commandTimeoutGrace,
        DataSize maxBodySize,
        Map<String, DataSize> moduleMaxBodySize,
        @DefaultValue("100000") long ownerIndexCache,
        @DefaultValue FanOut fanOut) {

    public RoutingProperties {
        if (ownerIndexCache < 1) {
            throw new IllegalArgumentException("hub.routing.owner-index-cache must be at least 1, not "
                    + ownerIndexCache);
        }
        if (fanOut == null) {
            fanOut = new FanOut(true, 10, 32);
        }
    }

    /**
     * Open routing that asks every candidate (TF 4.1.8.4; today a real-time authorization of a token no index knows,
     * asked of every eMSP): {@code hub.routing.fan-out.*}.
     *
     * @param enabled     false: such a call is refused with 4001, as before the hub asked
     * @param rate        fan-outs per second one requesting party (from-pair) may start, per instance; over it → 429
     *                    with Retry-After. Each one costs a request to every eMSP, so a CPO that cannot tell its own
     *                    tokens from foreign ones must not turn every unknown card into a storm
     * @param concurrency requests of one fan-out on the wire at once (the rest wait their turn within the module's
     *                    timeout)
     */
    public record FanOut(@DefaultValue("true") boolean enabled, @DefaultValue("10") int rate,
                         @DefaultValue("32") int concurrency) {

        public FanOut {
            if (rate < 1) {
                throw new IllegalArgumentException("hub.routing.fan-out.rate must be at least 1, not " + rate);
            }
            if (concurrency < 1) {
                throw new IllegalArgumentException("hub.routing.fan-out.concurrency must be at least 1, not "
                        + concurrency);
            }
        }
    }

    /**
     * The largest request body routed for a module, buffered or streamed: {@code hub.routing.module-max-body-size.<module>},
     * else {@code hub.routing.max-body-size}, else {@code fallback} (the hub's {@code hub.http.max-body-size}).
     */
    public DataSize maxBodySize(ModuleId module, DataSize fallback) {
        if (moduleMaxBodySize != null && moduleMaxBodySize.containsKey(module.id())) {
            return moduleMaxBodySize.get(module.id());
        }
        return maxBodySize != null ? maxBodySize : fallback;
    }

    public Duration timeout(ModuleId module) {
        if (moduleTimeouts != null && moduleTimeouts.containsKey(module.id())) {
            return moduleTimeouts.get(module.id());
        }
        return timeout;
    }
}
