package org.ocpihub.console.web;

import org.ocpihub.console.account.AccountRole;

/**
 * The console's navigation, in display order. An item shows when its page exists ({@link #live}) and the
 * signed-in role includes {@link #minimum}. A new page sets its item live (phase 2 of issue 9).
 *
 * @param path    where the item leads
 * @param label   what the item says
 * @param minimum the lowest role that may open the page (the security chain enforces the same: GET needs VIEWER,
 *                accounts ADMIN)
 * @param live    whether the page exists yet
 */
public enum NavItem {
    OVERVIEW("/admin", "Overview", AccountRole.VIEWER, true),
    PLATFORMS("/admin/platforms", "Platforms", AccountRole.VIEWER, true),
    ONBOARD("/admin/onboard", "Onboard", AccountRole.OPERATOR, true),
    AGREEMENTS("/admin/agreements", "Agreements", AccountRole.VIEWER, true),
    DELIVERIES("/admin/deliveries", "Deliveries", AccountRole.VIEWER, true),
    TRACE("/admin/trace", "Trace", AccountRole.VIEWER, true),
    AUDIT("/admin/audit", "Audit", AccountRole.VIEWER, true),
    ACCOUNTS("/admin/accounts", "Accounts", AccountRole.ADMIN, true);

    private final String path;
    private final String label;
    private final AccountRole minimum;
    private final boolean live;

    NavItem(String path, String label, AccountRole minimum, boolean live) {
        this.path = path;
        this.label = label;
        this.minimum = minimum;
        this.live = live;
    }

    public String path() {
        return path;
    }

    public String label() {
        return label;
    }

    /** True when a user with {@code role} sees this item. */
    public boolean visibleTo(AccountRole role) {
        return live && role != null && role.includes(minimum);
    }
}
