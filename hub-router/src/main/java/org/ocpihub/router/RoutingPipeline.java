package org.ocpihub.router;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.ocpihub.router.pipeline.RoutingContext;
import org.ocpihub.router.pipeline.RoutingOrder;
import org.ocpihub.router.pipeline.RoutingStep;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.AnnotationAwareOrderComparator;
import org.springframework.core.annotation.OrderUtils;
import org.springframework.stereotype.Component;
import org.springframework.util.ClassUtils;

import reactor.core.Fuseable;
import reactor.core.publisher.Mono;

/**
 * The ordered {@link RoutingStep}s ({@link RoutingOrder}), run for every routed call and every relay call by
 * {@link RoutingFilter}: the same check objects in the same order, the last of them forwarding the call or letting
 * the hub answer it. The sorted list is logged once at start-up.
 */
@Component
public class RoutingPipeline {

    private static final Logger log = LoggerFactory.getLogger(RoutingPipeline.class);

    private final List<RoutingStep> steps;

    /** @param steps every routing step; sorted here by their {@code @Order} ({@link RoutingOrder}) */
    public RoutingPipeline(List<RoutingStep> steps) {
        List<RoutingStep> sorted = new ArrayList<>(steps);
        AnnotationAwareOrderComparator.sort(sorted);
        this.steps = List.copyOf(sorted);
        log.info("routing pipeline: {}", describe(this.steps));
    }

    /** The steps in the order they run. */
    public List<RoutingStep> steps() {
        return steps;
    }

    /**
     * Runs every step on {@code context}: completes with the context the last step returned (after the call was
     * forwarded or answered), or fails with the first step's refusal.
     *
     * @param progress told each context as it enters a step, so that whoever records the call (metrics, the
     *                 request log) knows as much about it as the pipeline learned before it ended
     */
    public Mono<RoutingContext> run(RoutingContext context, Consumer<RoutingContext> progress) {
        return run(context, 0, progress);
    }

    /**
     * Applies the steps from {@code from} on. A step that answers at once ({@code Mono.just}) is continued in the
     * same call; only a step that really waits (reading the body, a database lookup, the forward) costs a reactive
     * hop.
     */
    private Mono<RoutingContext> run(RoutingContext context, int from, Consumer<RoutingContext> progress) {
        RoutingContext current = context;
        for (int i = from; i < steps.size(); i++) {
            progress.accept(current);
            Mono<RoutingContext> next;
            try {
                next = steps.get(i).apply(current);
            } catch (RuntimeException e) {
                return Mono.error(e);
            }
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
            if (following == steps.size()) {
                return next; // the last step (the forward): nothing to continue with
            }
            return next.flatMap(c -> run(c, following, progress));
        }
        return Mono.just(current);
    }

    /**
     * "RATE_LIMIT RateLimitStep > RESOLVE_RELAY RelayResolution > ...": each step by its order's name (ASCII,
     * for any log reader).
     */
    static String describe(List<RoutingStep> steps) {
        return steps.stream().map(step -> {
            Class<?> type = ClassUtils.getUserClass(step);
            Integer order = OrderUtils.getOrder(type);
            return orderName(order) + " " + (type.getSimpleName().isEmpty() ? type.getName() : type.getSimpleName());
        }).collect(Collectors.joining(" > "));
    }

    /** The {@link RoutingOrder} constant with this value, or the bare value when none has it. */
    static String orderName(Integer order) {
        if (order == null) {
            return "(no order)";
        }
        for (Field field : RoutingOrder.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == int.class) {
                try {
                    if (field.getInt(null) == order) {
                        return field.getName();
                    }
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return String.valueOf(order);
    }
}
