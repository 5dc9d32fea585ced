package org.ocpihub.console.security;

import java.util.Collection;

import org.ocpihub.console.account.AccountRole;
import org.ocpihub.console.account.AccountActor;
import org.ocpihub.registry.audit.Actor;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

/**
 * The signed-in operator as pages see it: every console page gets it as the model attribute {@code me}
 * ({@code ConsoleModel}), and a controller can take it from {@link #of(Authentication)}.
 *
 * @param username the account's name as stored
 * @param role     the account's role at sign-in
 */
public record ConsoleUser(String username, AccountRole role) {

    /** The operator behind a console authentication (the highest role among its authorities). */
    public static ConsoleUser of(Authentication authentication) {
        return new ConsoleUser(authentication.getName(), highest(authentication.getAuthorities()));
    }

    /** This operator with the role {@code AccountOperations} decides on. */
    public AccountActor accountActor() {
        return new AccountActor(username, role);
    }

    /** This operator as the audit log and the operator services name it ({@code via=console}). */
    public Actor actor() {
        return Actor.console(username);
    }

    /** May use state-changing actions (suspend, replay, onboard...). */
    public boolean canOperate() {
        return role.includes(AccountRole.OPERATOR);
    }

    /** May manage accounts. */
    public boolean isAdmin() {
        return role == AccountRole.ADMIN;
    }

    private static AccountRole highest(Collection<? extends GrantedAuthority> authorities) {
        AccountRole best = AccountRole.VIEWER;
        for (GrantedAuthority a : authorities) {
            for (AccountRole r : AccountRole.values()) {
                if (r.authority().equals(a.getAuthority()) && r.includes(best)) {
                    best = r;
                }
            }
        }
        return best;
    }
}
