package org.ocpihub.router;

import org.ocpihub.router.pipeline.RoutingContext;
import org.ocpihub.router.pipeline.RoutingStep;

import java.util.List;

import org.springframework.stereotype.Component;

import reactor.core.Fuseable;
import reactor.core.publisher.Mono;

/**
 * The ordered {@link RoutingStep}s, run for a routed call ({@link RoutingFilter}: every step) or for a relay call
 * ({@link org.ocpihub.router.relay.RelayResolution}: only the steps that say {@link RoutingStep#guardsRelays()}, i.e.
 * the rate limit, the sender check, the body limit and the strict JSON read), so both kinds of call meet the same
 * check objects in the same order.
 */
@Component
public class RoutingPipeline {

    private final List<RoutingStep> steps;
    private final List<RoutingStep> relaySteps;

    /** @param steps every routing step; Spring hands them sorted by {@code @Order} */
    public RoutingPipeline(List<RoutingStep> steps) {
        this.steps = List.copyOf(steps);
        this.relaySteps = this.steps.stream().filter(RoutingStep::guardsRelays).toList();
    }

    /** Every step, in order: the context to forward or answer, or the first step's refusal. */
    public Mono<RoutingContext> routed(RoutingContext context) {
        return run(steps, context, 0);
    }

    /**
     * The steps that guard relay calls, in order. The context must already name its module, interface,
     * classification and receiver (the relay's): the other steps, which find those, are skipped.
     */
    public Mono<RoutingContext> relayed(RoutingContext context) {
        return run(relaySteps, context, 0);
    }

    /**
     * Applies the steps from {@code from} on. A step that answers at once ({@code Mono.just}) is continued in the
     * same call; only a step that really waits (reading the body, a database lookup) costs a reactive hop.
     */
    private static Mono<RoutingContext> run(List<RoutingStep> steps, RoutingContext context, int from) {
        RoutingContext current = context;
        for (int i = from; i < steps.size(); i++) {
            Mono<RoutingContext> next = steps.get(i).apply(current);
            if (next instanceof Fuseable.ScalarCallable<?> immediate) {
                try {
                    Object value = immediate.call();
                    if (value == null) {
                        return Mono.error(new IllegalStateException(steps.get(i) + " returned no context"));
                    }
                    current = (RoutingContext) value;
                    continue;
                } catch (Exception e) {
                    return Mono.error(e);
                }
            }
            int following = i + 1;
            return next.flatMap(c -> run(steps, c, following));
        }
        return Mono.just(current);
    }
}
