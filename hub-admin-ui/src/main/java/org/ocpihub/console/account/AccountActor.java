package org.ocpihub.console.account;

/**
 * Who asks for an account action, with the role that decides it (the audit log's
 * {@link org.ocpihub.registry.audit.Actor} says only who and through what, see {@link #audit()}): a signed-in operator (by username and role) or the admin API's bearer token, which
 * stands for an ADMIN. {@link AccountOperations} decides on {@link #role}; {@link #name} is what the audit log will
 * record.
 *
 * @param name  the operator's username, or {@value #ADMIN_TOKEN} for the admin API token
 * @param role  the actor's role
 */
public record AccountActor(String name, AccountRole role) {

    /** The name under which calls with the admin bearer token act. */
    public static final String ADMIN_TOKEN = "admin-token";

    /** The admin API's bearer token: automation with ADMIN rights. */
    public static AccountActor adminToken() {
        return new AccountActor(ADMIN_TOKEN, AccountRole.ADMIN);
    }

    /** The same actor as the audit log names it: the admin token via the API, an operator via the console. */
    public org.ocpihub.registry.audit.Actor audit() {
        return ADMIN_TOKEN.equals(name) ? org.ocpihub.registry.audit.Actor.adminToken()
                : org.ocpihub.registry.audit.Actor.console(name);
    }
}
