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
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1) // right after EdgeFirewallFilter: only sane paths reach the log
public class RequestIdFilter implements WebFilter {

    private static final Logger log = LoggerFactory.getLogger("ocpihub.requests");

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        HttpHeaders headers = exchange.getRequest().getHeaders();
        String requestId = usable(headers.getFirst(OcpiHeaders.REQUEST_ID));
        String correlationId = usable(headers.getFirst(OcpiHeaders.CORRELATION_ID));
        String rid = requestId != null ? requestId : MessageIds.next();
        String cid = correlationId != null ? correlationId : MessageIds.next();
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
                "{} {} status={} took={}ms request_id={} correlation_id={} platform={}{}",
                exchange.getRequest().getMethod(), exchange.getRequest().getPath().value(),
                // a cancel here is the requester hanging up (issue 7): say so, not a status nobody received
                signal == reactor.core.publisher.SignalType.CANCEL ? "cancelled-by-requester"
                        : exchange.getResponse().getStatusCode() == null ? "-"
                        : exchange.getResponse().getStatusCode().value(),
                (System.nanoTime() - start) / 1_000_000, rid, cid,
                ExchangeAttributes.caller(exchange).map(c -> c.platform().name()).orElse("-"),
                exchange.getAttribute(ExchangeAttributes.ROUTE) == null ? ""
                        : " " + exchange.getAttribute(ExchangeAttributes.ROUTE)));
    }

    /** Header values are echoed, so only sane ones are kept: printable ASCII, at most 255 characters. */
    private static String usable(String value) {
        if (value == null || value.isBlank() || value.length() > 255) {
            return null;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                return null;
            }
        }
        return value;
    }
}
