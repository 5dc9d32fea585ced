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
