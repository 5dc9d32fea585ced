package org.ocpihub.console.account;

import java.util.List;

import org.ocpihub.registry.http.AdminApiException;
import org.ocpihub.registry.http.HubPaths;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import reactor.core.publisher.Mono;

/**
 * {@code /admin/api/accounts}: operator accounts for automation, behind the admin bearer token
 * ({@code AdminTokenFilter}), acting as ADMIN ({@link AccountActor#adminToken()}). The same {@link AccountOperations} as
 * the accounts page. Errors are {@code {"error": "…"}} with 400 (field), 404 (no such account), 409 (name taken,
 * last enabled ADMIN).
 *
 * <ul>
 *   <li>{@code GET} → {@code [AccountView]}</li>
 *   <li>{@code POST {"username", "role"}} → 201 {@code {"account", "password"}} (the generated password, shown once)</li>
 *   <li>{@code PUT /{username}/role {"role"}} → {@code AccountView}</li>
 *   <li>{@code PUT /{username}/enabled {"enabled": true|false}} → {@code AccountView}</li>
 *   <li>{@code POST /{username}/password-reset} → {@code {"account", "password"}}</li>
 * </ul>
 */
@RestController
@RequestMapping(HubPaths.ADMIN_API + "/accounts")
public class AccountApiController {

    /** A new account. */
    public record CreateAccount(String username, String role) {
    }

    /** A role change. */
    public record RoleChange(String role) {
    }

    /** Enabling or disabling. */
    public record EnabledChange(Boolean enabled) {
    }

    /** An account and its new password (once). */
    public record IssuedAccount(AccountView account, String password) {
    }

    private final AccountOperations accounts;

    public AccountApiController(AccountOperations accounts) {
        this.accounts = accounts;
    }

    @GetMapping
    public Mono<List<AccountView>> list() {
        return accounts.list(AccountActor.adminToken()).collectList().onErrorMap(AccountRefused.class, AccountApiController::http);
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    public Mono<IssuedAccount> create(@RequestBody CreateAccount body) {
        return accounts.create(AccountActor.adminToken(), body.username(), body.role())
                .map(i -> new IssuedAccount(i.account(), i.password()))
                .onErrorMap(AccountRefused.class, AccountApiController::http);
    }

    @PutMapping("/{username}/role")
    public Mono<AccountView> role(@PathVariable String username, @RequestBody RoleChange body) {
        return accounts.changeRole(AccountActor.adminToken(), username, body.role())
                .onErrorMap(AccountRefused.class, AccountApiController::http);
    }

    @PutMapping("/{username}/enabled")
    public Mono<AccountView> enabled(@PathVariable String username, @RequestBody EnabledChange body) {
        if (body.enabled() == null) {
            return Mono.error(new AdminApiException(HttpStatus.BAD_REQUEST, "enabled must be true or false"));
        }
        return accounts.setEnabled(AccountActor.adminToken(), username, body.enabled())
                .onErrorMap(AccountRefused.class, AccountApiController::http);
    }

    @PostMapping("/{username}/password-reset")
    public Mono<IssuedAccount> resetPassword(@PathVariable String username) {
        return accounts.resetPassword(AccountActor.adminToken(), username)
                .map(i -> new IssuedAccount(i.account(), i.password()))
                .onErrorMap(AccountRefused.class, AccountApiController::http);
    }

    private static AdminApiException http(AccountRefused e) {
        HttpStatus status = switch (e.reason()) {
            case INVALID -> HttpStatus.BAD_REQUEST;
            case FORBIDDEN -> HttpStatus.FORBIDDEN;
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case CONFLICT -> HttpStatus.CONFLICT;
        };
        return new AdminApiException(status, e.getMessage());
    }
}
