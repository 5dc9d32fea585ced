package org.ocpihub.console.security;

import org.ocpihub.console.account.AccountStore;
import org.ocpihub.registry.audit.Actor;
import org.ocpihub.registry.audit.AuditLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.server.WebFilterExchange;
import org.springframework.security.web.server.authentication.ServerAuthenticationFailureHandler;
import org.springframework.security.web.server.authentication.ServerAuthenticationSuccessHandler;
import org.springframework.security.web.server.authentication.logout.ServerLogoutHandler;

import reactor.core.publisher.Mono;

/**
 * Sign-in, failed sign-in and sign-out in the {@link AuditLog} (issue 9 item 8), as {@code console.sign-in},
 * {@code console.sign-out} (outcome OK) and {@code console.sign-in} FAILED with the username when it names an account
 * (cut to 64 printable characters), else "unknown username": a name no account has may be a password typed into the
 * wrong field, and the audit entry is also a log line. Never the password. An audit write that fails is logged and does not stop the sign-in or
 * sign-out.
 */
final class SignInAudit {

    private static final Logger log = LoggerFactory.getLogger(SignInAudit.class);

    private SignInAudit() {
    }

    /** Records the sign-in, then lets {@code next} answer (the redirect to the console). */
    static ServerAuthenticationSuccessHandler success(AuditLog audit, ServerAuthenticationSuccessHandler next) {
        return (exchange, authentication) -> record(audit, authentication.getName(), AuditLog.OK, "signed in")
                .then(next.onAuthenticationSuccess(exchange, authentication));
    }

    /** Records the failed sign-in with the account's username (or "unknown username"), then lets {@code next} answer. */
    static ServerAuthenticationFailureHandler failure(AuditLog audit, AccountStore accounts,
                                                      ServerAuthenticationFailureHandler next) {
        return (exchange, e) -> exchange.getExchange().getFormData()
                .mapNotNull(form -> form.getFirst("username"))
                .filter(typed -> !typed.isBlank())
                .flatMap(typed -> accounts.find(typed.trim()).map(account -> printable(account.username())))
                .defaultIfEmpty("unknown username")
                .flatMap(name -> record(audit, name, AuditLog.FAILED, reason(e)))
                .then(next.onAuthenticationFailure(exchange, e));
    }

    /** Records the sign-out of a signed-in user (a sign-out without a session records nothing). */
    static ServerLogoutHandler signOut(AuditLog audit) {
        return (WebFilterExchange exchange, Authentication authentication) -> authentication == null
                || authentication.getName() == null ? Mono.empty()
                : record(audit, authentication.getName(), AuditLog.OK, "signed out");
    }

    private static String reason(AuthenticationException e) {
        return e instanceof LockedException
                ? "sign-in refused: sign-in with this username is paused after repeated failures"
                : "sign-in failed: wrong username or password";
    }

    private static Mono<Void> record(AuditLog audit, String name, String outcome, String detail) {
        String who = name == null || name.isBlank() ? "unknown" : name;
        String action = detail.equals("signed out") ? "console.sign-out" : "console.sign-in";
        return audit.record(Actor.console(who), action, null, null, outcome, detail)
                .onErrorResume(e -> {
                    log.warn("audit entry for {} could not be stored: {}", action, e.toString());
                    return Mono.empty();
                });
    }

    /** A typed username fit for the log: at most 64 printable ASCII characters, others as '?'. */
    private static String printable(String raw) {
        if (raw == null || raw.isBlank()) {
            return "unknown";
        }
        StringBuilder out = new StringBuilder();
        raw.trim().chars().limit(64).forEach(c -> out.append(c > 0x20 && c <= 0x7E ? (char) c : '?'));
        return out.toString();
    }
}
