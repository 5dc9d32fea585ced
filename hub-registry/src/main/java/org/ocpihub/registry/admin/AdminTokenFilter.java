package org.ocpihub.registry.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import org.ocpihub.registry.config.HubProperties;
import org.ocpihub.registry.http.AdminApiException;
import org.ocpihub.registry.http.HubPaths;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import reactor.core.publisher.Mono;

/**
 * Guards the admin API and the actuator (except the open probes {@link HubPaths#OPEN_ACTUATOR}: status only) with
 * {@code Authorization: Bearer <hub.admin.token>}; without a configured token they are shut. Decides on
 * {@link HubPaths#path}, the path request mapping matches.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
public class AdminTokenFilter implements WebFilter {

    private static final String BEARER = "Bearer ";

    private final byte[] expected;

    public AdminTokenFilter(HubProperties properties) {
        String token = properties.admin().token();
        this.expected = token == null || token.isBlank() ? null : token.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = HubPaths.path(exchange.getRequest());
        boolean guarded = HubPaths.isAdminApi(path)
                || (HubPaths.isActuator(path) && !HubPaths.OPEN_ACTUATOR.contains(path));
        if (!guarded) {
            return chain.filter(exchange);
        }
        if (expected == null) {
            return Mono.error(new AdminApiException(HttpStatus.UNAUTHORIZED,
                    "the admin API is disabled: set hub.admin.token"));
        }
        String header = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Mono.error(new AdminApiException(HttpStatus.UNAUTHORIZED,
                    "missing Authorization: Bearer <admin token>"));
        }
        byte[] given = header.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(expected, given)) { // constant time
            return Mono.error(new AdminApiException(HttpStatus.UNAUTHORIZED, "wrong admin token"));
        }
        return chain.filter(exchange);
    }
}
