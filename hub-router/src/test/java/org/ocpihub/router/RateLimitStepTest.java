package org.ocpihub.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ocpihub.router.pipeline.Contexts.CPO;
import static org.ocpihub.router.pipeline.Contexts.EMSP;
import static org.ocpihub.router.pipeline.Contexts.assertRefused;
import static org.ocpihub.router.pipeline.Contexts.cpo;
import static org.ocpihub.router.pipeline.Contexts.emsp;
import static org.ocpihub.router.pipeline.Contexts.passed;
import static org.ocpihub.router.pipeline.Contexts.read;
import static org.ocpihub.router.pipeline.Contexts.routed;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.ocpihub.ocpi.OcpiStatus;
import org.ocpihub.registry.platform.Caller;
import org.ocpihub.router.pipeline.Contexts;
import org.ocpihub.router.pipeline.RoutingContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

/**
 * RATE_LIMIT: a budget per calling platform per second (the refill is a second away, so a test's calls within one
 * second meet the limit without waiting on a clock).
 */
class RateLimitStepTest {

    private static RoutingContext call(Caller caller) {
        return read(routed(MockServerHttpRequest.get("/ocpi/2.2.1/locations/sender"), CPO, EMSP).build(), caller);
    }

    private static RoutingContext relayCall(Caller caller) {
        return read(routed(MockServerHttpRequest.post("/ocpi/2.2.1/relay/r1"), CPO, EMSP).build(), caller);
    }

    @Test
    void overTheBudgetIs429WithRetryAfter() {
        RateLimitStep step = new RateLimitStep(Contexts.routingProperties(Map.of("hub.routing.rate-limit", "2")));
        Caller caller = cpo();
        passed(step.apply(call(caller)));
        passed(step.apply(relayCall(caller))); // a relay call spends the same budget

        RoutingContext third = call(caller);
        assertRefused(step.apply(third), HttpStatus.TOO_MANY_REQUESTS, OcpiStatus.CLIENT_ERROR,
                "rate limit of 2 requests per second exceeded for this platform");
        assertThat(third.exchange().getResponse().getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
        assertRefused(step.apply(relayCall(caller)), HttpStatus.TOO_MANY_REQUESTS, OcpiStatus.CLIENT_ERROR,
                "rate limit of 2 requests per second exceeded for this platform");
        // another platform has its own budget
        passed(step.apply(call(emsp())));
    }

    @Test
    void noLimitByDefault() {
        RateLimitStep step = new RateLimitStep(Contexts.routingProperties(Map.of()));
        Caller caller = cpo();
        for (int i = 0; i < 100; i++) {
            passed(step.apply(call(caller)));
        }
    }
}
