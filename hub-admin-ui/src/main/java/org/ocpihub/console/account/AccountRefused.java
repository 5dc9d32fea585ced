package org.ocpihub.console.account;

/**
 * An account action the hub refuses, with a message in operator words saying what to fix. {@link #reason} maps to an
 * HTTP status in the JSON API (400, 403, 404, 409) and to a message on the accounts page.
 */
public class AccountRefused extends RuntimeException {

    /** Why the action was refused. */
    public enum Reason { INVALID, FORBIDDEN, NOT_FOUND, CONFLICT }

    private final Reason reason;

    public AccountRefused(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
