package org.ocpihub.registry.http;

import java.util.Optional;

import org.ocpihub.registry.platform.Caller;
import org.springframework.web.server.ServerWebExchange;

/** Names and typed access for what the hub's filters put on an exchange. */
public final class ExchangeAttributes {
    public static final String CALLER = "ocpihub.caller";
    public static final String REQUEST_ID = "ocpihub.requestId";
    public static final String CORRELATION_ID = "ocpihub.correlationId";
    /** A one-line description of how a request was routed, for the request log (never a token). */
    public static final String ROUTE = "ocpihub.route";
    /** The id of the broadcast a Broadcast Push was accepted as, for the message log. */
    public static final String BROADCAST_ID = "ocpihub.broadcastId";
    /** The X-Request-ID the hub sent when it forwarded the request, for the message log. */
    public static final String OUTBOUND_REQUEST_ID = "ocpihub.outboundRequestId";
    /** The {@code OcpiStatusScanner} reading the OCPI status of a forwarded answer, for the message log. */
    public static final String ANSWER_STATUS = "ocpihub.answerStatus";
    /**
     * Nanoseconds ({@code Long}) from the hub starting a forwarded call to the head of the receiver's answer, for the
     * request log's {@code upstream=}: {@code took} minus it is the hub's own share of a routed request.
     */
    public static final String UPSTREAM_NANOS = "ocpihub.upstreamNanos";

    private ExchangeAttributes() {
    }

    public static Optional<Caller> caller(ServerWebExchange exchange) {
        return Optional.ofNullable(exchange.getAttribute(CALLER));
    }

    public static Caller requireCaller(ServerWebExchange exchange) {
        return caller(exchange).orElseThrow(() -> new IllegalStateException("no authenticated caller on " +
                exchange.getRequest().getPath()));
    }
}
