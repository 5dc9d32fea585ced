package org.ocpihub.console.security;

import java.net.URI;
import java.nio.charset.StandardCharsets;

import org.ocpihub.console.ConsoleProperties;
import org.ocpihub.console.account.AccountStore;
import org.ocpihub.console.account.AccountUserDetailsService;
import org.ocpihub.registry.audit.AuditLog;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.access.hierarchicalroles.RoleHierarchyImpl;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authentication.RedirectServerAuthenticationFailureHandler;
import org.springframework.security.web.server.authentication.RedirectServerAuthenticationSuccessHandler;
import org.springframework.security.web.server.authentication.logout.DelegatingServerLogoutHandler;
import org.springframework.security.web.server.authentication.logout.RedirectServerLogoutSuccessHandler;
import org.springframework.security.web.server.authentication.logout.SecurityContextServerLogoutHandler;
import org.springframework.security.web.server.authentication.logout.WebSessionServerLogoutHandler;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.security.web.server.csrf.CsrfException;
import org.springframework.security.web.server.csrf.XorServerCsrfTokenRequestAttributeHandler;
import org.springframework.security.web.server.firewall.ServerWebExchangeFirewall;
import org.springframework.security.web.server.header.ReferrerPolicyServerHttpHeadersWriter.ReferrerPolicy;
import org.springframework.security.web.server.header.XFrameOptionsServerHttpHeadersWriter.Mode;
import org.springframework.security.web.server.context.WebSessionServerSecurityContextRepository;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.session.CookieWebSessionIdResolver;
import org.springframework.web.server.session.WebSessionIdResolver;

import reactor.core.publisher.Mono;

/**
 * Spring Security WebFlux for the console (issue 9 item 1): one chain, matched only by {@link ConsolePaths#console()}
 * ({@code /admin} and below, except the JSON admin API). OCPI paths, the admin API and the actuator match no chain;
 * they keep the hub's own filters ({@code OcpiAuthenticationFilter}, {@code AdminTokenFilter}).
 *
 * <p>Where it sits: Spring Security's {@code WebFilterChainProxy} has order -100, after every hub filter
 * ({@code EdgeFirewallFilter} {@code HIGHEST_PRECEDENCE}, {@code RequestIdFilter} +1, {@code AdminTokenFilter} and
 * {@code OcpiAuthenticationFilter} +10, {@code RoutingFilter} +20). A routed OCPI call is answered by the router and
 * never reaches it; the other OCPI requests (versions, credentials, 404s) pass through it and match no chain.
 * {@link #securityProxyFirewall()} keeps it from applying a second firewall after the edge's.
 *
 * <p>The chain: form login at {@value ConsolePaths#SIGN_IN} through {@link ThrottledAuthenticationManager}; sign-out
 * by POST {@value ConsolePaths#SIGN_OUT} (invalidates the session); CSRF tokens in the session for every form and
 * htmx call (field {@code _csrf}, header {@code X-CSRF-TOKEN}); GET pages need VIEWER, anything that changes state
 * OPERATOR, {@value ConsolePaths#ACCOUNTS} ADMIN, each request checked against the account as stored now
 * ({@link CurrentAccountFilter}: disabling ends sessions, a role change applies at once); a request with an {@code Authorization} header (an OCPI token, or
 * anything else) is refused 401 before anything else, so no console page is ever served to it.
 */
@Configuration(proxyBeanMethods = false)
public class ConsoleSecurity {

    /** The session cookie's name; its path is {@code /admin}, so no other request carries it. */
    public static final String SESSION_COOKIE = "HUB_CONSOLE";

    /**
     * Scripts, styles, images, forms and fetches only from the hub itself; no inline script or style, no framing.
     * htmx is served from {@code /admin/assets/htmx.min.js} (its webjar, see {@code ConsoleAssets}) with its inline
     * indicator style turned off (see the layout's {@code htmx-config} meta tag).
     */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
            + "base-uri 'self'; object-src 'none'";

    /** ADMIN &gt; OPERATOR &gt; VIEWER. */
    @Bean
    public RoleHierarchy consoleRoleHierarchy() {
        return RoleHierarchyImpl.fromHierarchy("ROLE_ADMIN > ROLE_OPERATOR\nROLE_OPERATOR > ROLE_VIEWER");
    }

    /** Spring Security's DelegatingPasswordEncoder: bcrypt for new hashes, {@code {id}} prefixes for old ones. */
    @Bean
    public PasswordEncoder consolePasswordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    public AccountUserDetailsService consoleUserDetailsService(AccountStore store, RoleHierarchy hierarchy) {
        return new AccountUserDetailsService(store, hierarchy);
    }

    @Bean
    public ThrottledAuthenticationManager consoleAuthenticationManager(AccountStore store,
            AccountUserDetailsService users, PasswordEncoder encoder, ConsoleProperties properties) {
        return new ThrottledAuthenticationManager(store, users, encoder, properties.signIn());
    }

    /**
     * The firewall of Spring Security's {@code WebFilterChainProxy}: none, because {@code EdgeFirewallFilter} has
     * already applied Spring Security's {@code StrictServerWebExchangeFirewall} to every request, first of all
     * filters, and answers its refusals in the hub's formats (OCPI envelope, {@code {"error"}}). A second strict
     * firewall here would refuse the same things again, but answer a lazily checked header with Spring's plain 400.
     */
    @Bean
    public ServerWebExchangeFirewall securityProxyFirewall() {
        return ServerWebExchangeFirewall.INSECURE_NOOP;
    }

    /**
     * The session cookie: {@code HttpOnly}, {@code SameSite=Strict}, path {@code /admin}; {@code Secure} when the
     * request came over TLS (Spring's resolver sets it from the request's scheme, which reflects
     * {@code X-Forwarded-Proto} only when the operator sets {@code server.forward-headers-strategy}).
     */
    @Bean
    public WebSessionIdResolver webSessionIdResolver() {
        CookieWebSessionIdResolver resolver = new CookieWebSessionIdResolver();
        resolver.setCookieName(SESSION_COOKIE);
        resolver.addCookieInitializer(cookie -> cookie.httpOnly(true).sameSite("Strict").path(ConsolePaths.CONSOLE));
        return resolver;
    }

    /** The console's one security chain (see the class comment). */
    @Bean
    public SecurityWebFilterChain consoleSecurityChain(ServerHttpSecurity http,
            ThrottledAuthenticationManager authenticationManager, AccountStore store,
            AccountUserDetailsService users, AuditLog audit) {
        WebSessionServerSecurityContextRepository contexts = new WebSessionServerSecurityContextRepository();
        RedirectServerAuthenticationFailureHandler wrong =
                new RedirectServerAuthenticationFailureHandler(ConsolePaths.SIGN_IN + "?error");
        RedirectServerAuthenticationFailureHandler locked =
                new RedirectServerAuthenticationFailureHandler(ConsolePaths.SIGN_IN + "?locked");
        RedirectServerAuthenticationSuccessHandler signedIn =
                new RedirectServerAuthenticationSuccessHandler(ConsolePaths.CONSOLE);
        signedIn.setRequestCache(NoOpServerRequestCache.getInstance());
        RedirectServerLogoutSuccessHandler signedOut = new RedirectServerLogoutSuccessHandler();
        signedOut.setLogoutSuccessUrl(URI.create(ConsolePaths.SIGN_IN + "?signed-out"));

        XorServerCsrfTokenRequestAttributeHandler csrfTokens = new XorServerCsrfTokenRequestAttributeHandler();
        csrfTokens.setSecureRandom(ConsoleRandom.DRBG);

        return http
                .securityMatcher(ConsolePaths.console())
                .csrf(csrf -> csrf
                        .csrfTokenRequestHandler(csrfTokens)
                        .accessDeniedHandler(accessDenied()))
                .addFilterAt(refuseAuthorizationHeader(), SecurityWebFiltersOrder.FIRST)
                .securityContextRepository(contexts)
                .addFilterBefore(new CurrentAccountFilter(store, users, contexts), SecurityWebFiltersOrder.AUTHORIZATION)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
                .formLogin(form -> form
                        .loginPage(ConsolePaths.SIGN_IN)
                        .authenticationManager(authenticationManager)
                        .securityContextRepository(contexts)
                        // sign-in and its failures are audited (SignInAudit), never the password
                        .authenticationSuccessHandler(SignInAudit.success(audit, signedIn))
                        .authenticationFailureHandler(SignInAudit.failure(audit, store, (exchange, e) ->
                                e instanceof LockedException
                                        ? locked.onAuthenticationFailure(exchange, e)
                                        : wrong.onAuthenticationFailure(exchange, e))))
                .logout(logout -> logout
                        .logoutUrl(ConsolePaths.SIGN_OUT)
                        .logoutHandler(new DelegatingServerLogoutHandler(SignInAudit.signOut(audit),
                                new SecurityContextServerLogoutHandler(),
                                new WebSessionServerLogoutHandler()))
                        .logoutSuccessHandler(signedOut))
                .exceptionHandling(ex -> ex
                        .authenticationEntryPoint(entryPoint())
                        .accessDeniedHandler(accessDenied()))
                .headers(headers -> headers
                        .contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
                        .frameOptions(frame -> frame.mode(Mode.DENY))
                        .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.SAME_ORIGIN)))
                .authorizeExchange(auth -> auth
                        .matchers(ConsolePaths.under(ConsolePaths.SIGN_IN), ConsolePaths.under(ConsolePaths.ASSETS))
                                .permitAll()
                        .matchers(ConsolePaths.under(ConsolePaths.ACCOUNTS)).hasRole("ADMIN")
                        .matchers(ConsolePaths.stateChanging()).hasRole("OPERATOR")
                        .anyExchange().hasRole("VIEWER"))
                .build();
    }

    /** Not signed in: a browser is sent to the sign-in page, anything else gets 401. */
    private static ServerAuthenticationEntryPoint entryPoint() {
        return (exchange, e) -> {
            String accept = exchange.getRequest().getHeaders().getFirst(HttpHeaders.ACCEPT);
            boolean browser = accept != null && accept.contains(MediaType.TEXT_HTML_VALUE)
                    && exchange.getRequest().getHeaders().getFirst("HX-Request") == null;
            if (browser) {
                exchange.getResponse().setStatusCode(HttpStatus.SEE_OTHER);
                exchange.getResponse().getHeaders().setLocation(URI.create(ConsolePaths.SIGN_IN));
                return exchange.getResponse().setComplete();
            }
            if (exchange.getRequest().getHeaders().getFirst("HX-Request") != null) {
                // htmx follows no 401: send the whole page to the sign-in page
                exchange.getResponse().getHeaders().set("HX-Redirect", ConsolePaths.SIGN_IN);
            }
            return answer(exchange, HttpStatus.UNAUTHORIZED, "sign in to the console at " + ConsolePaths.SIGN_IN);
        };
    }

    /** Signed in without the role, or a missing/wrong CSRF token: 403 in words. */
    private static ServerAccessDeniedHandler accessDenied() {
        return (exchange, e) -> answer(exchange, HttpStatus.FORBIDDEN, e instanceof CsrfException
                ? "this form is out of date or did not come from the console: reload the page and try again"
                : "your role does not allow this: ask an administrator for a role that does");
    }

    /**
     * First in the chain: a console request carrying an {@code Authorization} header (an OCPI {@code Token}, a
     * bearer token, Basic) is refused 401. The console is for people signed in through the form; member and admin
     * tokens open no page, whatever else the request carries.
     */
    private static WebFilter refuseAuthorizationHeader() {
        return (exchange, chain) -> exchange.getRequest().getHeaders().containsHeader(HttpHeaders.AUTHORIZATION)
                ? answer(exchange, HttpStatus.UNAUTHORIZED, "the console does not accept an Authorization header: "
                        + "sign in at " + ConsolePaths.SIGN_IN + " (the JSON admin API is under /admin/api)")
                : chain.filter(exchange);
    }

    private static Mono<Void> answer(ServerWebExchange exchange, HttpStatus status, String message) {
        var response = exchange.getResponse();
        response.setStatusCode(status);
        response.getHeaders().setContentType(new MediaType(MediaType.TEXT_PLAIN, StandardCharsets.UTF_8));
        DataBuffer body = response.bufferFactory().wrap(message.getBytes(StandardCharsets.UTF_8));
        return response.writeWith(Mono.just(body));
    }
}
