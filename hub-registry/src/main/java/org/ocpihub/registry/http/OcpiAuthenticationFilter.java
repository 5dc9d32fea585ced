package org.ocpihub.registry.http;

import org.ocpihub.ocpi.OcpiHeaders;
import org.ocpihub.ocpi.OcpiStatus;
import org.ocpihub.ocpi.credentials.TokenCodec;
import org.ocpihub.registry.platform.Caller;
import org.ocpihub.registry.platform.LastSeenTracker;
import org.ocpihub.registry.platform.PlatformRegistry;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import reactor.core.publisher.Mono;

/**
 * Authenticates every OCPI request by its token against the in-memory registry (TF 4.1.2): unknown or missing → 401;
 * token A outside versions and credentials → 401. The caller is left on the exchange for later steps.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
public class OcpiAuthenticationFilter implements WebFilter {

    private final PlatformRegistry registry;
    private final LastSeenTracker lastSeen;

    public OcpiAuthenticationFilter(PlatformRegistry registry, LastSeenTracker lastSeen) {
        this.registry = registry;
        this.lastSeen = lastSeen;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = HubPaths.path(exchange.getRequest()); // what request mapping and routing see
        if (!HubPaths.isOcpi(path)) {
            return chain.filter(exchange);
        }
        String authorization = exchange.getRequest().getHeaders().getFirst(OcpiHeaders.AUTHORIZATION);
        // a known header value is answered from the snapshot's map; only an unknown one is decoded and hashed
        Caller caller = registry.snapshot().authenticateHeader(authorization).orElse(null);
        if (caller == null && TokenCodec.candidates(authorization).isEmpty()) {
            return Mono.error(new OcpiException(HttpStatus.UNAUTHORIZED, OcpiStatus.CLIENT_ERROR,
                    "missing or malformed Authorization header: expected 'Token <base64 token>'"));
        }
        if (caller == null) {
            return Mono.error(new OcpiException(HttpStatus.UNAUTHORIZED, OcpiStatus.CLIENT_ERROR,
                    "unknown token"));
        }
        if (!caller.registered() && !HubPaths.acceptsTokenA(path)) {
            return Mono.error(new OcpiException(HttpStatus.UNAUTHORIZED, OcpiStatus.CLIENT_ERROR,
                    "token A only opens versions and credentials: register first"));
        }
        exchange.getAttributes().put(ExchangeAttributes.CALLER, caller);
        lastSeen.seen(caller.platform().id());
        return chain.filter(exchange);
    }
}
