package org.ocpihub.registry.audit;

/**
 * Who did an operator action, for the audit log: a name and the way in ({@code api} for the JSON admin API with the
 * admin bearer token, {@code console} for a signed-in console user). Never a token or password.
 *
 * @param name the operator's name ({@code admin-token} for the shared admin token)
 * @param via  {@code api} or {@code console}
 */
public record Actor(String name, String via) {

    /** Way in: the JSON admin API. */
    public static final String VIA_API = "api";
    /** Way in: the operator console. */
    public static final String VIA_CONSOLE = "console";

    public Actor {
        if (name == null || name.isBlank() || via == null || via.isBlank()) {
            throw new IllegalArgumentException("an actor needs a name and a way in");
        }
    }

    /** The JSON admin API called with the shared admin bearer token: ("admin-token", "api"). */
    public static Actor adminToken() {
        return new Actor("admin-token", VIA_API);
    }

    /** A console user: (username, "console"). */
    public static Actor console(String username) {
        return new Actor(username, VIA_CONSOLE);
    }
}
