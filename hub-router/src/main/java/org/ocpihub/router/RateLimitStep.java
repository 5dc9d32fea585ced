package org.ocpihub.router;

import java.time.Duration;

import org.ocpihub.ocpi.OcpiStatus;
import org.ocpihub.registry.http.OcpiException;
import org.ocpihub.router.pipeline.RoutingContext;
import org.ocpihub.router.pipeline.RoutingOrder;
import org.ocpihub.router.pipeline.RoutingStep;
import org.ocpihub.router.pipeline.RoutingProperties;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import reactor.core.publisher.Mono;

/**
 * A request budget per calling platform ({@code hub.routing.rate-limit} requests per second, 0 = none): over it →
 * HTTP 429 with Retry-After and an envelope, before any work is done for the request.
 */
@Component
@Order(RoutingOrder.RATE_LIMIT)
public class RateLimitStep implements RoutingStep {

    private final RateLimiterRegistry limiters;
    private final boolean enabled;

    public RateLimitStep(RoutingProperties properties) {
        this.enabled = properties.rateLimit() > 0;
        this.limiters = RateLimiterRegistry.of(RateLimiterConfig.custom()
                .limitForPeriod(Math.max(1, properties.rateLimit()))
                .limitRefreshPeriod(Duration.ofSeconds(1))
                .timeoutDuration(Duration.ZERO)
                .build());
    }

    @Override
    public Mono<RoutingContext> apply(RoutingContext context) {
        if (!enabled) {
            return Mono.just(context);
        }
        RateLimiter limiter = limiters.rateLimiter(context.caller().platform().id().toString());
        if (limiter.acquirePermission()) {
            return Mono.just(context);
        }
        context.exchange().getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, "1");
        return Mono.error(new OcpiException(HttpStatus.TOO_MANY_REQUESTS, OcpiStatus.CLIENT_ERROR,
                "rate limit of " + limiter.getRateLimiterConfig().getLimitForPeriod()
                        + " requests per second exceeded for this platform"));
    }
}
