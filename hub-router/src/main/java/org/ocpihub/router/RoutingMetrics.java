package org.ocpihub.router;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.ocpihub.registry.http.ExchangeAttributes;
import org.ocpihub.registry.http.OcpiException;
import org.ocpihub.router.pipeline.ModuleCall;
import org.ocpihub.router.pipeline.RoutingContext;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Counts and times every routed request and every relay call by module, interface, case and outcome
 * ({@code ocpihub.routing.requests}; relay calls have {@code case=RELAY}), and leaves a one-line route description for
 * the request log (never a token).
 */
@Component
public class RoutingMetrics {

    /** The {@code case} tag of relay calls ({@code /ocpi/2.2.1/relay/<id>}). */
    static final String RELAY = "RELAY";
    /**
     * The {@code module} and {@code interface} tags of a relay call whose relay was not found, or not looked up yet (a
     * call over the rate limit, which runs first).
     */
    static final String UNKNOWN = "unknown";

    private final MeterRegistry registry;
    /** Timers by their tags: looked up once, not registered on every request. */
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    public RoutingMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /**
     * Records one call that went through the pipeline, routed or relayed.
     *
     * @param context the context as the last step that ran received it (never null: at least the start)
     * @param error   the call's failure, or null when it was forwarded or answered
     * @param started {@link System#nanoTime()} when the call entered the router
     */
    void record(ServerWebExchange exchange, RoutingContext context, Throwable error, long started) {
        ModuleCall call = context.call();
        String module = call == null ? UNKNOWN : call.module().id();
        String role = call == null ? UNKNOWN : call.interfaceRole().name();
        String routingCase = routingCase(context);
        String outcome = error == null ? "forwarded"
                : error instanceof OcpiException e ? String.valueOf(e.statusCode()) : "error";
        if (error != null) {
            exchange.getAttributes().putIfAbsent(ExchangeAttributes.ROUTE, "module=" + module + " interface=" + role
                    + " case=" + routingCase + " outcome=" + outcome
                    + (context.headers() == null ? "" : " from=" + context.headers().from()));
        }
        String key = module + '|' + role + '|' + routingCase + '|' + outcome;
        timers.computeIfAbsent(key, k -> Timer.builder("ocpihub.routing.requests")
                        .description("Functional-module and relay requests through the hub")
                        .tag("module", module)
                        .tag("interface", role)
                        .tag("case", routingCase)
                        .tag("outcome", outcome)
                        .register(registry))
                .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    }

    /** RELAY for a relay call (also before its relay was found), else the classification, or UNCLASSIFIED. */
    static String routingCase(RoutingContext context) {
        if (context.isRelay() || context.call() == null) {
            return RELAY;
        }
        return context.classification() == null ? "UNCLASSIFIED" : context.classification().routingCase().name();
    }

    static String describe(RoutingContext context) {
        return "module=" + context.call().module().id() + " interface=" + context.call().interfaceRole()
                + " case=" + context.classification().routingCase() + " from=" + context.headers().from()
                + " to=" + context.receiver().party() + " receiver=" + context.receiver().platformName();
    }
}
