package org.ocpihub.console.account;

/**
 * Who asks for an account action: a signed-in operator (by username and role) or the admin API's bearer token, which
 * stands for an ADMIN. {@link AccountOperations} decides on {@link #role}; {@link #name} is what the audit log will
 * record.
 *
 * @param name  the operator's username, or {@value #ADMIN_TOKEN} for the admin API token
 * @param role  the actor's role
 */
public record Actor(String name, AccountRole role) {

    /** The name under which calls with the admin bearer token act. */
    public static final String ADMIN_TOKEN = "admin-token";

    /** The admin API's bearer token: automation with ADMIN rights. */
    public static Actor adminToken() {
        return new Actor(ADMIN_TOKEN, AccountRole.ADMIN);
    }
}
