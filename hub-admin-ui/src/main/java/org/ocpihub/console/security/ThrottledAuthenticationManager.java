package org.ocpihub.console.security;

import java.time.Instant;
import java.util.Optional;

import org.ocpihub.console.ConsoleProperties;
import org.ocpihub.console.account.AccountStore;
import org.ocpihub.console.account.AccountUserDetailsService;
import org.ocpihub.console.account.OperatorAccount;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.crypto.password.PasswordEncoder;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Console sign-in with a throttle (issue 9 item 1): after {@code hub.console.sign-in.max-failures} failures in a row
 * with one username, sign-in with it is refused for {@code hub.console.sign-in.lock-for}, counted in PostgreSQL so
 * that it holds across instances. A name that is no account is counted the same way (its own table) and its
 * password is checked against a dummy hash, so neither the answer nor its timing says whether the account exists.
 * A disabled account fails like a wrong password.
 *
 * <p>Answers: {@link LockedException} (throttled), {@link BadCredentialsException} (anything else). The password
 * check (bcrypt) runs on the bounded elastic scheduler.
 */
public class ThrottledAuthenticationManager implements ReactiveAuthenticationManager {

    private final AccountStore store;
    private final AccountUserDetailsService users;
    private final PasswordEncoder encoder;
    private final ConsoleProperties.SignIn settings;
    /** A hash of a random password, checked for unknown names so that they cost the same time. */
    private final String dummyHash;

    public ThrottledAuthenticationManager(AccountStore store, AccountUserDetailsService users, PasswordEncoder encoder,
            ConsoleProperties.SignIn settings) {
        this.store = store;
        this.users = users;
        this.encoder = encoder;
        this.settings = settings;
        this.dummyHash = encoder.encode(org.ocpihub.console.account.Passwords.generate());
    }

    @Override
    public Mono<Authentication> authenticate(Authentication authentication) {
        String username = authentication.getName() == null ? "" : authentication.getName().trim();
        String password = authentication.getCredentials() == null ? "" : authentication.getCredentials().toString();
        if (username.isEmpty() || username.length() > 64) {
            return Mono.error(new BadCredentialsException("wrong username or password"));
        }
        return store.find(username)
                .map(Optional::of).defaultIfEmpty(Optional.empty())
                .flatMap(account -> account.isPresent() ? signIn(account.get(), password) : unknown(username, password));
    }

    private Mono<Authentication> signIn(OperatorAccount account, String password) {
        if (account.lockedAt(Instant.now())) {
            return Mono.error(locked());
        }
        return matches(password, account.passwordHash()).flatMap(ok -> {
            if (!ok || !account.enabled()) {
                return store.recordFailure(account.username(), settings.maxFailures(), settings.lockFor())
                        .flatMap(lock -> Mono.error(lock.isPresent() ? locked() : wrong()));
            }
            UserDetails user = users.toUserDetails(account);
            if (user instanceof org.springframework.security.core.CredentialsContainer c) {
                c.eraseCredentials(); // the session keeps no password hash
            }
            return store.recordSuccess(account.username()).thenReturn(
                    UsernamePasswordAuthenticationToken.authenticated(user, null, user.getAuthorities()));
        });
    }

    private Mono<Authentication> unknown(String username, String password) {
        return store.unknownNameLockedUntil(username).flatMap(lock -> lock.isPresent() ? Mono.error(locked())
                : matches(password, dummyHash).then(
                        store.recordUnknownNameFailure(username, settings.maxFailures(), settings.lockFor()))
                        .flatMap(now -> Mono.error(now.isPresent() ? locked() : wrong())));
    }

    private Mono<Boolean> matches(String password, String hash) {
        return Mono.fromCallable(() -> encoder.matches(password, hash)).subscribeOn(Schedulers.boundedElastic());
    }

    private static BadCredentialsException wrong() {
        return new BadCredentialsException("wrong username or password");
    }

    private static LockedException locked() {
        return new LockedException("too many failed sign-ins");
    }
}
