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
 * Counts and times every routed request by module, case and outcome ({@code ocpihub.routing.requests}), and leaves
 * a one-line route description for the request log (never a token).
 */
@Component
public class RoutingMetrics {

    private final MeterRegistry registry;
    /** Timers by their tags: looked up once, not registered on every request. */
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    public RoutingMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void record(ServerWebExchange exchange, ModuleCall call, RoutingContext context, Throwable error, long started) {
        String routingCase = context == null || context.classification() == null ? "UNCLASSIFIED"
                : context.classification().routingCase().name();
        String outcome = error == null ? "forwarded"
                : error instanceof OcpiException e ? String.valueOf(e.statusCode()) : "error";
        if (error != null) {
            exchange.getAttributes().putIfAbsent(ExchangeAttributes.ROUTE, "module=" + call.module().id()
                    + " interface=" + call.interfaceRole() + " case=" + routingCase + " outcome=" + outcome
                    + (context == null ? "" : " from=" + context.headers().from()));
        }
        String key = call.module().id() + '|' + call.interfaceRole() + '|' + routingCase + '|' + outcome;
        timers.computeIfAbsent(key, k -> Timer.builder("ocpihub.routing.requests")
                        .description("Functional-module requests through the hub")
                        .tag("module", call.module().id())
                        .tag("interface", call.interfaceRole().name())
                        .tag("case", routingCase)
                        .tag("outcome", outcome)
                        .register(registry))
                .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    }

    static String describe(RoutingContext context) {
        return "module=" + context.call().module().id() + " interface=" + context.call().interfaceRole()
                + " case=" + context.classification().routingCase() + " from=" + context.headers().from()
                + " to=" + context.receiver().party() + " receiver=" + context.receiver().platformName();
    }
}
