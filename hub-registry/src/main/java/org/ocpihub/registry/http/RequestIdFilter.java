package org.ocpihub.registry.http;


import org.ocpihub.ocpi.MessageIds;
import org.ocpihub.ocpi.OcpiHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import reactor.core.publisher.Mono;

/**
 * First step of every request: fixes its X-Request-ID and X-Correlation-ID (generated when absent, TF 4.2), echoes
 * them on the response, and writes one log line when it ends (never the Authorization header).
 *
 * <p>The ids are written into that log line and passed on to receivers, so a member's value is kept only when it is
 * one token: 1 to {@value #MAX_ID_LENGTH} printable ASCII characters without spaces ({@link #usable}). Anything
 * else (a space, a control or non-ASCII character, too long) would let a member write its own fields into the line
 * (log forging: {@code X-Correlation-ID: x platform=ADMIN status=200}); such an id is replaced by a generated one,
 * and the line says so ({@code replaced=X-Correlation-ID}), never repeating the refused value.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1) // right after EdgeFirewallFilter: only sane paths reach the log
public class RequestIdFilter implements WebFilter {

    private static final Logger log = LoggerFactory.getLogger("ocpihub.requests");

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        HttpHeaders headers = exchange.getRequest().getHeaders();
        String sentRequestId = headers.getFirst(OcpiHeaders.REQUEST_ID);
        String sentCorrelationId = headers.getFirst(OcpiHeaders.CORRELATION_ID);
        String requestId = usable(sentRequestId);
        String correlationId = usable(sentCorrelationId);
        String rid = requestId != null ? requestId : MessageIds.next();
        String cid = correlationId != null ? correlationId : MessageIds.next();
        String replaced = replacedNote(sentRequestId != null && requestId == null,
                sentCorrelationId != null && correlationId == null);
        exchange.getAttributes().put(ExchangeAttributes.REQUEST_ID, rid);
        exchange.getAttributes().put(ExchangeAttributes.CORRELATION_ID, cid);
        exchange.getResponse().beforeCommit(() -> {
            HttpHeaders out = exchange.getResponse().getHeaders();
            out.set(OcpiHeaders.REQUEST_ID, rid);
            out.set(OcpiHeaders.CORRELATION_ID, cid);
            return Mono.empty();
        });
        long start = System.nanoTime();
        return chain.filter(exchange).doFinally(signal -> log.info(
                "{} {} status={} took={}ms{} request_id={} correlation_id={}{} platform={}{}",
                exchange.getRequest().getMethod(), exchange.getRequest().getPath().value(),
                // a cancel here is the requester hanging up (issue 7): say so, not a status nobody received
                signal == reactor.core.publisher.SignalType.CANCEL ? "cancelled-by-requester"
                        : exchange.getResponse().getStatusCode() == null ? "-"
                        : exchange.getResponse().getStatusCode().value(),
                (System.nanoTime() - start) / 1_000_000, upstreamNote(exchange), rid, cid, replaced,
                ExchangeAttributes.caller(exchange).map(c -> c.platform().name()).orElse("-"),
                exchange.getAttribute(ExchangeAttributes.ROUTE) == null ? ""
                        : " " + exchange.getAttribute(ExchangeAttributes.ROUTE)));
    }

    /**
     * {@code " upstream=<ms>ms"} for a forwarded request whose receiver answered: from the hub starting the call to
     * the head of the answer, so that {@code took} minus it is the hub's own share; "" otherwise.
     */
    static String upstreamNote(ServerWebExchange exchange) {
        Object nanos = exchange.getAttribute(ExchangeAttributes.UPSTREAM_NANOS);
        return nanos instanceof Long n ? " upstream=" + n / 1_000_000 + "ms" : "";
    }

    /** The longest X-Request-ID / X-Correlation-ID kept (a UUID has 36 characters). */
    static final int MAX_ID_LENGTH = 255;

    /**
     * A member's request or correlation id as kept, or null when absent or not one log token: 1 to
     * {@value #MAX_ID_LENGTH} characters, each printable ASCII other than space (U+0021 to U+007E).
     */
    static String usable(String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_ID_LENGTH) {
            return null;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= 0x20 || c > 0x7E) {
                return null;
            }
        }
        return value;
    }

    /** The log line's note naming the ids that were sent but replaced ("" when none). */
    static String replacedNote(boolean requestId, boolean correlationId) {
        if (!requestId && !correlationId) {
            return "";
        }
        return " replaced=" + (requestId ? OcpiHeaders.REQUEST_ID : "") + (requestId && correlationId ? "," : "")
                + (correlationId ? OcpiHeaders.CORRELATION_ID : "");
    }
}
