package org.ocpihub.console.account;

import java.time.Clock;
import java.util.regex.Pattern;

import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Operator account management (issue 9 item 1), the one implementation behind the accounts page and
 * {@code /admin/api/accounts}. Every action needs an ADMIN {@link Actor}; the last enabled ADMIN can be neither
 * demoted nor disabled. Passwords are generated here and returned once ({@link Issued}); hashing (bcrypt, about
 * 100 ms of CPU) runs on the bounded elastic scheduler, never on an event loop.
 *
 * <p>Errors (as the Mono's error): {@link AccountRefused} with INVALID (bad username or role), FORBIDDEN (actor not
 * ADMIN), NOT_FOUND, CONFLICT (name taken; last enabled ADMIN).
 */
@Service
public class AccountOperations {

    /** 1–64 characters: letters, digits and {@code . _ @ -}; the name is what sign-in and the audit log show. */
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");

    private final AccountStore store;
    private final PasswordEncoder encoder;
    private final Clock clock;

    public AccountOperations(AccountStore store, PasswordEncoder encoder) {
        this.store = store;
        this.encoder = encoder;
        this.clock = Clock.systemUTC();
    }

    /** An account and the password generated for it, to be shown once. */
    public record Issued(AccountView account, String password) {
        @Override
        public String toString() {
            return "Issued[account=" + account + ", password=****]";
        }
    }

    /** Every account, by name. */
    public Flux<AccountView> list(Actor actor) {
        return requireAdmin(actor).thenMany(store.findAll()).map(a -> a.view(clock.instant()));
    }

    /** Creates an enabled account with a generated password. */
    public Mono<Issued> create(Actor actor, String username, String role) {
        return requireAdmin(actor).then(Mono.defer(() -> {
            String name = validUsername(username);
            AccountRole r = validRole(role);
            // TODO(issue 9, AuditLog of part A): record "account created" (actor.name(), name, r) once AuditLog exists
            return generated().flatMap(p -> store.insert(name, p.hash(), r)
                    .map(a -> new Issued(a.view(clock.instant()), p.password())));
        }));
    }

    /** Creates the bootstrap ADMIN with a given password, only if no account exists at all; true when created. */
    public Mono<Boolean> bootstrapAdmin(String username, String password) {
        String name = validUsername(username);
        return store.count().flatMap(n -> n > 0 ? Mono.just(false)
                : hash(password).flatMap(h -> store.insert(name, h, AccountRole.ADMIN)).thenReturn(true)
                        // another instance created it at the same moment
                        .onErrorResume(AccountRefused.class, e -> Mono.just(false)));
    }

    /** Changes an account's role; demoting the last enabled ADMIN is refused (CONFLICT). */
    public Mono<AccountView> changeRole(Actor actor, String username, String role) {
        return requireAdmin(actor).then(Mono.defer(() -> {
            AccountRole r = validRole(role);
            // TODO(issue 9, AuditLog of part A): record "role changed" (actor.name(), username, r)
            return guarded(username, r == AccountRole.ADMIN, "demote", store.setRole(username, r));
        }));
    }

    /** Enables or disables an account; disabling the last enabled ADMIN is refused (CONFLICT). */
    public Mono<AccountView> setEnabled(Actor actor, String username, boolean enabled) {
        return requireAdmin(actor).then(Mono.defer(() ->
                // TODO(issue 9, AuditLog of part A): record "account enabled/disabled" (actor.name(), username)
                guarded(username, enabled, "disable", store.setEnabled(username, enabled))));
    }

    /** Gives an account a new generated password (and lifts a sign-in lock); the password is shown once. */
    public Mono<Issued> resetPassword(Actor actor, String username) {
        return requireAdmin(actor).then(Mono.defer(() -> {
            // TODO(issue 9, AuditLog of part A): record "password reset" (actor.name(), username), never the password
            return generated().flatMap(p -> store.setPassword(username, p.hash())
                    .flatMap(found -> found ? store.find(username) : Mono.error(notFound(username)))
                    .map(a -> new Issued(a.view(clock.instant()), p.password())));
        }));
    }

    /**
     * Runs {@code update} with the enabled ADMIN rows locked; refuses when it would leave no enabled ADMIN.
     *
     * @param keepsAdmin true when the change cannot take ADMIN away (promotion to ADMIN, enabling)
     */
    private Mono<AccountView> guarded(String username, boolean keepsAdmin, String verb, Mono<Boolean> update) {
        return store.withAdminsLocked(admins -> store.find(username)
                        .switchIfEmpty(Mono.error(notFound(username)))
                        .flatMap(current -> {
                            boolean lastAdmin = current.role() == AccountRole.ADMIN && current.enabled()
                                    && admins <= 1;
                            if (lastAdmin && !keepsAdmin) {
                                return Mono.error(new AccountRefused(AccountRefused.Reason.CONFLICT, current.username()
                                        + " is the last enabled administrator: make another account ADMIN first, "
                                        + "then " + verb + " this one"));
                            }
                            return update.then(store.find(username));
                        }))
                .map(a -> a.view(clock.instant()));
    }

    private record Generated(String password, String hash) {
    }

    /** A new password and its hash, made off the event loop (SecureRandom may read the OS entropy source). */
    private Mono<Generated> generated() {
        return Mono.fromCallable(() -> {
            String password = Passwords.generate();
            return new Generated(password, encoder.encode(password));
        }).subscribeOn(Schedulers.boundedElastic());
    }

    private Mono<String> hash(String password) {
        return Mono.fromCallable(() -> encoder.encode(password)).subscribeOn(Schedulers.boundedElastic());
    }

    private static Mono<Void> requireAdmin(Actor actor) {
        return actor != null && actor.role() == AccountRole.ADMIN ? Mono.empty()
                : Mono.error(new AccountRefused(AccountRefused.Reason.FORBIDDEN,
                        "only an ADMIN can manage accounts"));
    }

    private static String validUsername(String username) {
        if (username == null || !USERNAME.matcher(username.trim()).matches()) {
            throw new AccountRefused(AccountRefused.Reason.INVALID, "username must be 1 to 64 letters, digits or "
                    + ". _ @ - (no spaces), starting with a letter or digit");
        }
        return username.trim();
    }

    private static AccountRole validRole(String role) {
        return AccountRole.parse(role).orElseThrow(() -> new AccountRefused(AccountRefused.Reason.INVALID,
                "role must be one of " + String.join(", ", AccountRole.names())));
    }

    private static AccountRefused notFound(String username) {
        return new AccountRefused(AccountRefused.Reason.NOT_FOUND, "no account named " + username);
    }
}
