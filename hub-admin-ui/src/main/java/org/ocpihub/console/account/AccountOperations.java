package org.ocpihub.console.account;

import java.time.Clock;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.ocpihub.registry.audit.AuditLog;

import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Operator account management (issue 9 item 1), the one implementation behind the accounts page and
 * {@code /admin/api/accounts}. Every action needs an ADMIN {@link AccountActor}; the last enabled ADMIN can be neither
 * demoted nor disabled. Passwords are generated here and returned once ({@link Issued}); hashing (bcrypt, about
 * 100 ms of CPU) runs on the bounded elastic scheduler, never on an event loop.
 *
 * <p>Errors (as the Mono's error): {@link AccountRefused} with INVALID (bad username or role), FORBIDDEN (actor not
 * ADMIN), NOT_FOUND, CONFLICT (name taken; last enabled ADMIN).
 *
 * <p>Every action, refused or done, is recorded in the {@link AuditLog} (issue 9 item 8) as {@code account.<verb>}
 * with the acting operator, the way in ({@code console} or {@code api}) and the account it was about; never a
 * password.
 */
@Service
public class AccountOperations {

    /** 1–64 characters: letters, digits and {@code . _ @ -}; the name is what sign-in and the audit log show. */
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");

    private final AccountStore store;
    private final PasswordEncoder encoder;
    private final Clock clock;
    private final AuditLog audit;

    public AccountOperations(AccountStore store, PasswordEncoder encoder, AuditLog audit) {
        this.store = store;
        this.encoder = encoder;
        this.audit = audit;
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
    public Flux<AccountView> list(AccountActor actor) {
        return requireAdmin(actor).thenMany(store.findAll()).map(a -> a.view(clock.instant()));
    }

    /** Creates an enabled account with a generated password. */
    public Mono<Issued> create(AccountActor actor, String username, String role) {
        return audited(actor, "account.create", "create account " + printable(username),
                requireAdmin(actor).then(Mono.defer(() -> {
                    String name = validUsername(username);
                    AccountRole r = validRole(role);
                    return generated().flatMap(p -> store.insert(name, p.hash(), r)
                            .map(a -> new Issued(a.view(clock.instant()), p.password())));
                })),
                i -> "account " + i.account().username() + " created with role " + i.account().role()
                        + "; password issued");
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
    public Mono<AccountView> changeRole(AccountActor actor, String username, String role) {
        return audited(actor, "account.role", "change the role of " + printable(username),
                requireAdmin(actor).then(Mono.defer(() -> {
                    AccountRole r = validRole(role);
                    return guarded(username, r == AccountRole.ADMIN, "demote", store.setRole(username, r));
                })),
                a -> "role of " + a.username() + " changed to " + a.role());
    }

    /** Enables or disables an account; disabling the last enabled ADMIN is refused (CONFLICT). */
    public Mono<AccountView> setEnabled(AccountActor actor, String username, boolean enabled) {
        String verb = enabled ? "enable" : "disable";
        return audited(actor, "account." + verb, verb + " account " + printable(username),
                requireAdmin(actor).then(Mono.defer(() ->
                        guarded(username, enabled, "disable", store.setEnabled(username, enabled)))),
                a -> "account " + a.username() + (enabled ? " enabled" : " disabled"));
    }

    /** Gives an account a new generated password (and lifts a sign-in lock); the password is shown once. */
    public Mono<Issued> resetPassword(AccountActor actor, String username) {
        return audited(actor, "account.password-reset", "reset the password of " + printable(username),
                requireAdmin(actor).then(Mono.defer(() -> generated().flatMap(p -> store.setPassword(username,
                                p.hash())
                        .flatMap(found -> found ? store.find(username) : Mono.error(notFound(username)))
                        .map(a -> new Issued(a.view(clock.instant()), p.password()))))),
                // never the password: the entry says only that one was issued
                i -> "password of " + i.account().username() + " reset; new password issued");
    }

    /**
     * Runs {@code work} and records it in the audit log, done or refused: a refusal with its message (operator
     * words), anything else as "failed unexpectedly"; the work's own error is passed on unchanged. An audit write
     * that fails after a refusal is dropped, so the operator still sees why the action was refused.
     *
     * @param attempt what was asked, for the entry of a refusal (e.g. "disable account bob")
     */
    private <T> Mono<T> audited(AccountActor actor, String action, String attempt, Mono<T> work,
                                Function<? super T, String> okDetail) {
        org.ocpihub.registry.audit.Actor who = actor == null ? new org.ocpihub.registry.audit.Actor("unknown",
                org.ocpihub.registry.audit.Actor.VIA_CONSOLE) : actor.audit();
        return work
                .onErrorResume(e -> audit.record(who, action, null, null, AuditLog.FAILED, attempt + ": "
                                + (e instanceof AccountRefused r ? r.getMessage() : "failed unexpectedly (see the "
                                + "server log)"))
                        .onErrorResume(auditFailure -> Mono.empty())
                        .then(Mono.error(e)))
                .flatMap(value -> audit.record(who, action, null, null, AuditLog.OK, okDetail.apply(value))
                        .thenReturn(value));
    }

    /** An operator-typed name for an audit detail: at most 64 printable characters. */
    private static String printable(String raw) {
        if (raw == null) {
            return "(none)";
        }
        StringBuilder out = new StringBuilder();
        raw.chars().limit(64).forEach(c -> out.append(c >= 0x20 && c <= 0x7E ? (char) c : '?'));
        return out.toString();
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

    private static Mono<Void> requireAdmin(AccountActor actor) {
        return actor != null && actor.role() == AccountRole.ADMIN ? Mono.empty()
                : Mono.error(new AccountRefused(AccountRefused.Reason.FORBIDDEN,
                        "only an ADMIN can manage accounts"));
    }

    private static String validUsername(String username) {
        if (username == null || !USERNAME.matcher(username.trim()).matches()) {
            throw new AccountRefused(AccountRefused.Reason.INVALID, "username must be 1 to 64 letters, digits or "
                    + ". _ @ - (no spaces), starting with a letter or digit");
        }
        // the audit log names the admin API's bearer token so: an operator by that name would read as the API
        if (username.trim().equalsIgnoreCase(AccountActor.ADMIN_TOKEN)) {
            throw new AccountRefused(AccountRefused.Reason.INVALID, "username " + AccountActor.ADMIN_TOKEN + " is reserved"
                    + " for the admin API token in the audit log: choose another");
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
