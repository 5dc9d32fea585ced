package org.ocpihub.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.ocpihub.ocpi.OcpiStatus;
import org.ocpihub.router.pipeline.RoutingContext;
import org.ocpihub.router.pipeline.RoutingException;
import org.ocpihub.router.pipeline.RoutingOrder;
import org.ocpihub.router.pipeline.RoutingStep;
import org.springframework.core.annotation.Order;

import reactor.core.publisher.Mono;

/** The pipeline runs its steps in {@link RoutingOrder} order, goes on after a step that waits, stops at a refusal. */
class RoutingPipelineTest {

    private static final List<String> RAN = new CopyOnWriteArrayList<>();
    private static final RoutingContext CONTEXT = new RoutingContext(null, null, null, null, null, null, null, null,
            null, null, null, null, null);

    private static Mono<RoutingContext> ran(String name, RoutingContext context, boolean waits) {
        RAN.add(name);
        // a step that waits (reading a body, a lookup) is not a scalar: the pipeline must continue after it
        return waits ? Mono.just(context).delayElement(Duration.ofMillis(1)) : Mono.just(context);
    }

    @Order(RoutingOrder.READ_HEADERS)
    static class Headers implements RoutingStep {
        public Mono<RoutingContext> apply(RoutingContext context) {
            return ran("headers", context, false);
        }
    }

    @Order(RoutingOrder.READ_BODY)
    static class Body implements RoutingStep {
        public Mono<RoutingContext> apply(RoutingContext context) {
            return ran("body", context, true);
        }
    }

    @Order(RoutingOrder.OWNER_CHECK)
    static class Refuses implements RoutingStep {
        public Mono<RoutingContext> apply(RoutingContext context) {
            RAN.add("owner");
            return Mono.error(new RoutingException(OcpiStatus.INVALID_OR_MISSING_PARAMETERS, "refused"));
        }
    }

    @Order(RoutingOrder.FORWARD_OR_ANSWER)
    static class End implements RoutingStep {
        public Mono<RoutingContext> apply(RoutingContext context) {
            return ran("end", context, true);
        }
    }

    @Test
    void theStepsRunInTheirNamedOrderWhateverOrderTheyAreGiven() {
        RAN.clear();
        RoutingPipeline pipeline = new RoutingPipeline(List.of(new End(), new Body(), new Headers()));
        List<RoutingContext> seen = new CopyOnWriteArrayList<>();

        assertThat(pipeline.run(CONTEXT, seen::add).block(Duration.ofSeconds(5))).isSameAs(CONTEXT);
        assertThat(RAN).containsExactly("headers", "body", "end");
        assertThat(seen).hasSize(3);
        assertThat(RoutingPipeline.describe(pipeline.steps()))
                .isEqualTo("READ_HEADERS Headers > READ_BODY Body > FORWARD_OR_ANSWER End");
    }

    @Test
    void theFirstRefusalEndsThePipeline() {
        RAN.clear();
        RoutingPipeline pipeline = new RoutingPipeline(List.of(new End(), new Refuses(), new Body(), new Headers()));

        assertThatThrownBy(() -> pipeline.run(CONTEXT, c -> { }).block(Duration.ofSeconds(5)))
                .isInstanceOf(RoutingException.class).hasMessage("refused");
        assertThat(RAN).containsExactly("headers", "body", "owner");
    }

    @Test
    void aStepWithoutANamedOrderIsShownByItsValue() {
        assertThat(RoutingPipeline.orderName(RoutingOrder.RATE_LIMIT)).isEqualTo("RATE_LIMIT");
        assertThat(RoutingPipeline.orderName(RoutingOrder.RATE_LIMIT + 1)).isEqualTo("101");
        assertThat(RoutingPipeline.orderName(null)).isEqualTo("(no order)");
    }
}
