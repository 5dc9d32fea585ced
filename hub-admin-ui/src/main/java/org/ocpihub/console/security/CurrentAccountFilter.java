package org.ocpihub.console.security;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.ocpihub.console.account.AccountStore;
import org.ocpihub.console.account.AccountUserDetailsService;
import org.ocpihub.console.account.OperatorAccount;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.web.server.context.ServerSecurityContextRepository;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.server.WebSession;

import reactor.core.publisher.Mono;

/**
 * Checks a signed-in session against its account on every console request (one indexed R2DBC read), before
 * authorisation: a disabled or vanished account's session is invalidated at once (the request then counts as not
 * signed in), and a changed role applies at once (the session's authorities are replaced). Without it a disabled
 * operator kept their session until it expired.
 */
final class CurrentAccountFilter implements WebFilter {

    private final AccountStore store;
    private final AccountUserDetailsService users;
    private final ServerSecurityContextRepository contexts;

    CurrentAccountFilter(AccountStore store, AccountUserDetailsService users,
            ServerSecurityContextRepository contexts) {
        this.store = store;
        this.users = users;
        this.contexts = contexts;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        // Mono<Void> completes empty: decide on Optionals first, so that no switchIfEmpty runs the chain twice
        return ReactiveSecurityContextHolder.getContext()
                .mapNotNull(SecurityContext::getAuthentication)
                .filter(a -> a.isAuthenticated() && !(a instanceof AnonymousAuthenticationToken))
                .map(Optional::of).defaultIfEmpty(Optional.empty())
                .flatMap(auth -> auth.isEmpty() ? chain.filter(exchange)
                        : store.find(auth.get().getName()).filter(OperatorAccount::enabled)
                                .map(Optional::of).defaultIfEmpty(Optional.empty())
                                .flatMap(account -> account.isPresent()
                                        ? current(exchange, chain, auth.get(), account.get())
                                        : signedOut(exchange, chain)));
    }

    private Mono<Void> current(ServerWebExchange exchange, WebFilterChain chain, Authentication auth,
            OperatorAccount account) {
        UserDetails user = users.toUserDetails(account);
        if (Objects.equals(Set.copyOf(user.getAuthorities()), Set.copyOf(auth.getAuthorities()))) {
            return chain.filter(exchange);
        }
        if (user instanceof org.springframework.security.core.CredentialsContainer c) {
            c.eraseCredentials();
        }
        Authentication updated = UsernamePasswordAuthenticationToken.authenticated(user, null, user.getAuthorities());
        return contexts.save(exchange, new SecurityContextImpl(updated))
                .then(chain.filter(exchange).contextWrite(ReactiveSecurityContextHolder.withAuthentication(updated)));
    }

    private static Mono<Void> signedOut(ServerWebExchange exchange, WebFilterChain chain) {
        return exchange.getSession().flatMap(WebSession::invalidate)
                .then(chain.filter(exchange).contextWrite(ReactiveSecurityContextHolder.clearContext()));
    }
}
