package org.ocpihub.console.web;

import java.util.Arrays;
import java.util.List;

import org.ocpihub.console.security.ConsoleUser;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.web.reactive.result.view.CsrfRequestDataValueProcessor;
import org.springframework.security.web.server.csrf.CsrfToken;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.server.ServerWebExchange;

import reactor.core.publisher.Mono;

/**
 * What every console page's model holds, for the layout ({@code templates/console/layout.html}):
 * <ul>
 *   <li>{@code _csrf}: the session's {@link CsrfToken} ({@code parameterName}, {@code headerName}, {@code token});
 *   forms include {@code ~{console/layout :: csrf}}, htmx calls send it as a header through the body's
 *   {@code hx-headers} ({@code csrfHeaders}).</li>
 *   <li>{@code me}: the signed-in {@link ConsoleUser} (absent on the sign-in page).</li>
 *   <li>{@code nav}: the navigation items {@code me} may use.</li>
 * </ul>
 */
@ControllerAdvice(basePackageClasses = ConsoleModel.class)
public class ConsoleModel {

    /** The CSRF token, resolved (WebFlux keeps it as a Mono until something subscribes). */
    @ModelAttribute("_csrf")
    public Mono<CsrfToken> csrf(ServerWebExchange exchange) {
        Mono<CsrfToken> token = exchange.getAttribute(CsrfToken.class.getName());
        return token == null ? Mono.empty() : token.doOnNext(t -> exchange.getAttributes()
                .put(CsrfRequestDataValueProcessor.DEFAULT_CSRF_ATTR_NAME, t));
    }

    /** {@code {"X-CSRF-TOKEN": "…"}} for the body's {@code hx-headers}: every htmx request carries the token. */
    @ModelAttribute("csrfHeaders")
    public Mono<String> csrfHeaders(ServerWebExchange exchange) {
        return csrf(exchange).map(t -> "{\"" + t.getHeaderName() + "\": \"" + t.getToken() + "\"}");
    }

    @ModelAttribute("me")
    public Mono<ConsoleUser> me() {
        return signedIn().map(ConsoleUser::of);
    }

    @ModelAttribute("nav")
    public Mono<List<NavItem>> nav() {
        return signedIn().map(ConsoleUser::of)
                .map(me -> Arrays.stream(NavItem.values()).filter(i -> i.visibleTo(me.role())).toList());
    }

    private static Mono<Authentication> signedIn() {
        return ReactiveSecurityContextHolder.getContext().mapNotNull(SecurityContext::getAuthentication)
                .filter(a -> a.isAuthenticated() && !(a instanceof AnonymousAuthenticationToken));
    }
}
