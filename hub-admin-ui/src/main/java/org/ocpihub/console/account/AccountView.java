package org.ocpihub.console.account;

import java.time.Instant;

/**
 * An operator account as the accounts page and {@code GET /admin/api/accounts} show it (no password hash).
 *
 * @param lockedUntil set only while the sign-in throttle holds the account (UTC)
 */
public record AccountView(String username, AccountRole role, boolean enabled, Instant lockedUntil,
        Instant createdAt, Instant updatedAt) {
}
