package org.ocpihub.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.ocpihub.router.party.BodyReader;
import org.ocpihub.router.party.ObjectOwnerCheck;
import org.ocpihub.router.party.SenderCheck;
import org.ocpihub.router.pipeline.RoutingContext;
import org.ocpihub.router.pipeline.RoutingStep;

import reactor.core.publisher.Mono;

/** A routed call runs every step; a relay call only the steps that guard relays, in the same order. */
class RoutingPipelineTest {

    private final List<String> ran = new CopyOnWriteArrayList<>();

    private RoutingStep step(String name, boolean guardsRelays, boolean waits) {
        return new RoutingStep() {
            @Override
            public Mono<RoutingContext> apply(RoutingContext context) {
                ran.add(name);
                // a step that waits (reading a body, a lookup) is not a scalar: the pipeline must continue after it
                return waits ? Mono.just(context).delayElement(Duration.ofMillis(1)) : Mono.just(context);
            }

            @Override
            public boolean guardsRelays() {
                return guardsRelays;
            }
        };
    }

    @Test
    void aRelayCallRunsOnlyTheGuardingStepsInOrder() {
        RoutingPipeline pipeline = new RoutingPipeline(List.of(step("rate", true, false), step("sender", true, false),
                step("classify", false, false), step("body", true, true), step("strict", true, false),
                step("receiver", false, false), step("callback", false, true), step("learn", false, false)));
        RoutingContext context = new RoutingContext(null, null, null, null, null, null, null, null, null, null);

        pipeline.relayed(context).block(Duration.ofSeconds(5));
        assertThat(ran).containsExactly("rate", "sender", "body", "strict");

        ran.clear();
        pipeline.routed(context).block(Duration.ofSeconds(5));
        assertThat(ran).containsExactly("rate", "sender", "classify", "body", "strict", "receiver", "callback",
                "learn");
    }

    @Test
    void theChecksThatGuardEveryMemberCallSaySo() throws NoSuchMethodException {
        for (Class<?> step : List.of(RateLimitStep.class, SenderCheck.class, BodyReader.class,
                ObjectOwnerCheck.class)) {
            assertThat(step.getMethod("guardsRelays").getDeclaringClass()).as(step.getSimpleName()).isEqualTo(step);
        }
    }
}
