package org.ocpihub.console.account;

import java.time.Instant;

import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.ReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;

import reactor.core.publisher.Mono;

/**
 * Operator accounts as Spring Security users, read over R2DBC (never blocking). The authorities are the account's
 * role and every role below it ({@link RoleHierarchy}: ADMIN &gt; OPERATOR &gt; VIEWER), so a check for
 * {@code ROLE_VIEWER} passes for an ADMIN. A throttled account is reported as locked, a disabled one as disabled.
 */
public class AccountUserDetailsService implements ReactiveUserDetailsService {

    private final AccountStore store;
    private final RoleHierarchy hierarchy;

    public AccountUserDetailsService(AccountStore store, RoleHierarchy hierarchy) {
        this.store = store;
        this.hierarchy = hierarchy;
    }

    @Override
    public Mono<UserDetails> findByUsername(String username) {
        return store.find(username).map(this::toUserDetails);
    }

    /** The user for an account; the password is the stored hash (DelegatingPasswordEncoder format). */
    public UserDetails toUserDetails(OperatorAccount account) {
        return User.withUsername(account.username())
                .password(account.passwordHash())
                .authorities(hierarchy.getReachableGrantedAuthorities(
                        java.util.List.of(new SimpleGrantedAuthority(account.role().authority()))))
                .disabled(!account.enabled())
                .accountLocked(account.lockedAt(Instant.now()))
                .build();
    }
}
