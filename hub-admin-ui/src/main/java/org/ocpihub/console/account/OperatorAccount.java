package org.ocpihub.console.account;

import java.time.Instant;

/**
 * One operator account as stored in {@code operator_account} (migration V7_3). {@code passwordHash} is a
 * DelegatingPasswordEncoder string ({@code {bcrypt}...}); it never leaves the module (see {@link AccountView}).
 *
 * @param failedAttempts failed sign-ins since the last success or lock expiry
 * @param lockedUntil    sign-in refused until then (null: not locked)
 */
public record OperatorAccount(String username, String passwordHash, AccountRole role, boolean enabled,
        int failedAttempts, Instant lockedUntil, Instant createdAt, Instant updatedAt) {

    /** True while a sign-in throttle lock holds at {@code now}. */
    public boolean lockedAt(Instant now) {
        return lockedUntil != null && lockedUntil.isAfter(now);
    }

    /** What pages and the JSON API may show of the account: never the hash. */
    public AccountView view(Instant now) {
        return new AccountView(username, role, enabled, lockedAt(now) ? lockedUntil : null, createdAt, updatedAt);
    }
}
