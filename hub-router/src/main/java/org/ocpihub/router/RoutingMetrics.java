package org.ocpihub.router;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.registry.http.ExchangeAttributes;
import org.ocpihub.registry.http.OcpiException;
import org.ocpihub.registry.messagelog.MessageLog;
import org.ocpihub.registry.messagelog.MessageLogEntry;
import org.ocpihub.registry.messagelog.ObjectIds;
import org.ocpihub.registry.messagelog.OcpiStatusScanner;
import org.ocpihub.registry.metrics.LatencyBuckets;
import org.ocpihub.registry.platform.Platform;
import org.ocpihub.router.pipeline.ModuleCall;
import org.ocpihub.router.pipeline.Receiver;
import org.ocpihub.router.pipeline.RoutingCase;
import org.ocpihub.router.pipeline.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Counts and times every routed request and every relay call by calling platform (name and id), module, interface,
 * case and outcome ({@code ocpihub.routing.requests}, with the {@link LatencyBuckets} histogram; relay calls have
 * {@code case=RELAY}), leaves a one-line route description for
 * the request log (never a token), and writes one {@link MessageLog} row per call when the log is on (ROUTED,
 * RELAYED, or BROADCAST_ACCEPTED for a push the hub accepted as a broadcast).
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

    private static final Logger log = LoggerFactory.getLogger(RoutingMetrics.class);

    private final MeterRegistry registry;
    /** Timers by their tags: looked up once, not registered on every request. */
    private final Map<Key, Timer> timers = new ConcurrentHashMap<>();
    private final MessageLog messageLog;

    /** Metrics without the message log (unit tests). */
    public RoutingMetrics(MeterRegistry registry) {
        this(registry, MessageLog.disabled());
    }

    /** @param messageLog where every call is also written (one row each), when it is on */
    @Autowired
    public RoutingMetrics(MeterRegistry registry, MessageLog messageLog) {
        this.registry = registry;
        this.messageLog = messageLog;
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
        Platform platform = context.caller() == null ? null : context.caller().platform();
        Key key = new Key(platform == null ? null : platform.id(),
                platform == null ? LatencyBuckets.UNKNOWN : platform.name(), module, role, routingCase, outcome);
        Timer timer = timers.get(key); // the common case: no lock, no registration
        if (timer == null) {
            timer = timers.computeIfAbsent(key, this::timer);
        }
        timer.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        if (messageLog.enabled()) {
            try {
                messageLog.append(entry(exchange, context, error, started, routingCase));
            } catch (RuntimeException e) {
                // the message log never fails a request; a row it cannot build is lost (and rare: a bug)
                log.warn("message log: no row for a {} {} call: {}", module, routingCase, e.toString());
            }
        }
    }

    /** The tags of one timer; {@code platformId} null when the caller is not identified. */
    private record Key(UUID platformId, String platformName, String module, String role, String routingCase,
                       String outcome) {
    }

    private Timer timer(Key key) {
        return Timer.builder("ocpihub.routing.requests")
                .description("Functional-module and relay requests through the hub, by calling platform")
                .tag("platform", key.platformName() == null ? LatencyBuckets.UNKNOWN : key.platformName())
                .tag("platform_id", key.platformId() == null ? LatencyBuckets.UNKNOWN : key.platformId().toString())
                .tag("module", key.module())
                .tag("interface", key.role())
                .tag("case", key.routingCase())
                .tag("outcome", key.outcome())
                .serviceLevelObjectives(LatencyBuckets.SLOS)
                .register(registry);
    }

    /**
     * The message log row of one call: ids as the requester sent them and as the hub sent them on, the parties, the
     * receiver, the answer's HTTP and OCPI status (a forwarded answer's OCPI status as it streamed past, see
     * {@link OcpiStatusScanner}; a hub answer that succeeded is 1000), the time in the hub, and the hub's own
     * message when it failed (routing errors name parties and fields, never tokens or bodies).
     */
    private static MessageLogEntry entry(ServerWebExchange exchange, RoutingContext context, Throwable error,
                                         long started, String routingCase) {
        long nanos = System.nanoTime() - started;
        Instant at = Instant.now().minusNanos(nanos);
        ModuleCall call = context.call();
        Receiver receiver = context.receiver();
        PartyId from = context.headers() == null ? null : context.headers().from();
        String broadcastId = exchange.getAttribute(ExchangeAttributes.BROADCAST_ID);
        PartyId to = receiver != null ? receiver.party()
                : context.headers() == null ? null
                : broadcastId != null || RoutingCase.GET_ALL.name().equals(routingCase) ? context.hub()
                : context.headers().to().orElse(null);
        Integer http;
        Integer ocpi;
        String message = null;
        if (error instanceof OcpiException e) {
            http = e.httpStatus().value();
            ocpi = e.statusCode();
            message = MessageLogEntry.shortError(e.getMessage());
        } else if (error != null) {
            http = null;
            ocpi = null;
            message = "the hub could not handle the request (see the hub log for request id "
                    + exchange.getAttribute(ExchangeAttributes.REQUEST_ID) + ")";
        } else {
            http = exchange.getResponse().getStatusCode() == null ? null
                    : exchange.getResponse().getStatusCode().value();
            OcpiStatusScanner scanner = exchange.getAttribute(ExchangeAttributes.ANSWER_STATUS);
            ocpi = scanner != null ? scanner.status()
                    : receiver == null && http != null && http / 100 == 2 ? Integer.valueOf(1000) : null;
        }
        MessageLogEntry.Kind kind = context.isRelay() || call == null ? MessageLogEntry.Kind.RELAYED
                : broadcastId != null && error == null ? MessageLogEntry.Kind.BROADCAST_ACCEPTED
                : MessageLogEntry.Kind.ROUTED;
        String method = exchange.getRequest().getMethod().name();
        String objectId = call == null ? null : ObjectIds.of(call.module(), call.interfaceRole(), method,
                call.segments(), context.bodyTree());
        return new MessageLogEntry(null, at, null, kind,
                exchange.getAttribute(ExchangeAttributes.REQUEST_ID),
                exchange.getAttribute(ExchangeAttributes.OUTBOUND_REQUEST_ID),
                exchange.getAttribute(ExchangeAttributes.CORRELATION_ID),
                call == null ? null : call.module().id(), call == null ? null : call.interfaceRole().name(), method,
                routingCase,
                from == null ? null : from.countryCode(), from == null ? null : from.partyId(),
                to == null ? null : to.countryCode(), to == null ? null : to.partyId(),
                context.caller().platform().id(), context.caller().platform().name(),
                receiver == null ? null : receiver.platform().platform().id(),
                receiver == null ? null : receiver.platformName(),
                objectId, broadcastId, null, null, http, ocpi,
                (int) Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(nanos)), null, message);
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
