package org.ocpihub.console.web;

import java.util.Map;

import org.ocpihub.console.account.AccountOperations;
import org.ocpihub.console.account.AccountRefused;
import org.ocpihub.console.account.AccountRole;
import org.ocpihub.console.security.ConsolePaths;
import org.ocpihub.console.security.ConsoleUser;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.reactive.result.view.Rendering;

import reactor.core.publisher.Mono;

/**
 * The accounts page (ADMIN only, enforced by the security chain and again by {@link AccountOperations}): list,
 * create, change role, disable/enable, reset password. Every change to an existing account goes through a
 * confirmation page ({@code GET …/confirm}) whose form POSTs the change: it works without JavaScript. A generated
 * password is shown once, on the page that answers the POST, never in a URL or a log.
 */
@Controller
public class AccountsController {

    /** The changes an ADMIN can confirm, with the question and the button the confirmation page shows. */
    enum Change {
        DISABLE("Disable %s? They can no longer sign in.", "Disable"),
        ENABLE("Enable %s? They can sign in again.", "Enable"),
        RESET("Reset the password of %s? Their current password stops working; the new one is shown once.",
                "Reset password"),
        ROLE("Change the role of %s to %s?", "Change role");

        final String question;
        final String button;

        Change(String question, String button) {
            this.question = question;
            this.button = button;
        }
    }

    /** What the list page says after a change (by key, so no operator input is echoed through a URL). */
    private static final Map<String, String> DONE = Map.of(
            "disable", "The account is disabled.",
            "enable", "The account is enabled.",
            "role", "The role is changed.");

    /** The fields of the create and role forms (form data binds to a model attribute in WebFlux, not to params). */
    public record AccountForm(String username, String role) {
    }

    private final AccountOperations accounts;

    public AccountsController(AccountOperations accounts) {
        this.accounts = accounts;
    }

    @GetMapping(ConsolePaths.ACCOUNTS)
    public Mono<Rendering> list(Authentication auth, @RequestParam(required = false) String done) {
        return page(auth, HttpStatus.OK, done == null ? null : DONE.get(done), null);
    }

    @PostMapping(ConsolePaths.ACCOUNTS)
    public Mono<Rendering> create(Authentication auth, @ModelAttribute AccountForm form) {
        return accounts.create(ConsoleUser.of(auth).accountActor(), form.username(), form.role())
                .map(issued -> Rendering.view("console/account-issued").modelAttribute("page", NavItem.ACCOUNTS)
                        .modelAttribute("issued", issued).modelAttribute("created", true).build())
                .onErrorResume(AccountRefused.class, e -> page(auth, status(e), null, e.getMessage()));
    }

    @GetMapping(ConsolePaths.ACCOUNTS + "/{username}/confirm")
    public Mono<Rendering> confirm(Authentication auth, @PathVariable String username,
            @RequestParam(required = false) String change, @RequestParam(required = false) String role) {
        Change c = parse(change);
        if (c == null || (c == Change.ROLE && AccountRole.parse(role).isEmpty())) {
            return page(auth, HttpStatus.BAD_REQUEST, null, "choose one of the actions offered for the account");
        }
        String target = c == Change.ROLE ? AccountRole.parse(role).get().name() : null;
        return Mono.just(Rendering.view("console/account-confirm").modelAttribute("page", NavItem.ACCOUNTS)
                .modelAttribute("username", username)
                .modelAttribute("question", c.question.formatted(username, target))
                .modelAttribute("button", c.button)
                .modelAttribute("action", ConsolePaths.ACCOUNTS + "/" + username + "/" + c.name().toLowerCase())
                .modelAttribute("role", target == null ? "" : target).build());
    }

    @PostMapping(ConsolePaths.ACCOUNTS + "/{username}/disable")
    public Mono<Rendering> disable(Authentication auth, @PathVariable String username) {
        return done(auth, accounts.setEnabled(ConsoleUser.of(auth).accountActor(), username, false), "disable");
    }

    @PostMapping(ConsolePaths.ACCOUNTS + "/{username}/enable")
    public Mono<Rendering> enable(Authentication auth, @PathVariable String username) {
        return done(auth, accounts.setEnabled(ConsoleUser.of(auth).accountActor(), username, true), "enable");
    }

    @PostMapping(ConsolePaths.ACCOUNTS + "/{username}/role")
    public Mono<Rendering> role(Authentication auth, @PathVariable String username,
            @ModelAttribute AccountForm form) {
        return done(auth, accounts.changeRole(ConsoleUser.of(auth).accountActor(), username, form.role()), "role");
    }

    @PostMapping(ConsolePaths.ACCOUNTS + "/{username}/reset")
    public Mono<Rendering> reset(Authentication auth, @PathVariable String username) {
        return accounts.resetPassword(ConsoleUser.of(auth).accountActor(), username)
                .map(issued -> Rendering.view("console/account-issued").modelAttribute("page", NavItem.ACCOUNTS)
                        .modelAttribute("issued", issued).modelAttribute("created", false).build())
                .onErrorResume(AccountRefused.class, e -> page(auth, status(e), null, e.getMessage()));
    }

    private Mono<Rendering> done(Authentication auth, Mono<?> change, String key) {
        return change.then(Mono.just(Rendering.redirectTo(ConsolePaths.ACCOUNTS + "?done=" + key).build()))
                .onErrorResume(AccountRefused.class, e -> page(auth, status(e), null, e.getMessage()));
    }

    private Mono<Rendering> page(Authentication auth, HttpStatus status, String notice, String problem) {
        return accounts.list(ConsoleUser.of(auth).accountActor()).collectList()
                .map(list -> Rendering.view("console/accounts").status(status)
                        .modelAttribute("page", NavItem.ACCOUNTS)
                        .modelAttribute("accounts", list)
                        .modelAttribute("roles", AccountRole.values())
                        .modelAttribute("notice", notice == null ? "" : notice)
                        .modelAttribute("problem", problem == null ? "" : problem)
                        .build());
    }

    private static Change parse(String change) {
        for (Change c : Change.values()) {
            if (c.name().equalsIgnoreCase(change)) {
                return c;
            }
        }
        return null;
    }

    static HttpStatus status(AccountRefused e) {
        return switch (e.reason()) {
            case INVALID -> HttpStatus.BAD_REQUEST;
            case FORBIDDEN -> HttpStatus.FORBIDDEN;
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case CONFLICT -> HttpStatus.CONFLICT;
        };
    }
}
