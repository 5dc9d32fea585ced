package org.ocpihub.ocpi.module;

import java.util.Locale;
import java.util.Set;

import org.ocpihub.ocpi.version.InterfaceRole;

/**
 * A body that names its owner outside a Client Owned Object URL: its {@code country_code}/{@code party_id} must be
 * the request's from-pair (a push speaks for its sender only). A CDR POST names the CDR's owner at the top level; a
 * START_SESSION or RESERVE_NOW command names the eMSP in its {@code token} (an eMSP uses only its own Tokens).
 *
 * @param interfaceRole the interface the request goes to
 * @param method        the HTTP method, upper case
 * @param commands      the commands (single path segment, any case) the rule is for; empty: the collection URL
 *                      (no path segment)
 * @param objectField   the field holding the owner pair, or null for the top level
 * @param required      whether the pair must be there (else it is checked only when present)
 */
public record BodyOwner(InterfaceRole interfaceRole, String method, Set<String> commands, String objectField,
                        boolean required) {

    public BodyOwner {
        commands = Set.copyOf(commands);
    }

    /** The owner pair at the top level of a body POSTed to the collection URL, required. */
    public static BodyOwner ofCollectionPost(InterfaceRole interfaceRole) {
        return new BodyOwner(interfaceRole, "POST", Set.of(), null, true);
    }

    /** The owner pair inside {@code objectField}, when there, of a POST to one of {@code commands}. */
    public static BodyOwner ofCommands(InterfaceRole interfaceRole, String objectField, Set<String> commands) {
        return new BodyOwner(interfaceRole, "POST", commands, objectField, false);
    }

    /** Whether the rule is about this interface and method, whatever the path. */
    public boolean covers(InterfaceRole role, String requestMethod) {
        return interfaceRole == role && method.equals(requestMethod);
    }

    /** Whether the rule applies to this request. */
    public boolean appliesTo(ModuleRequest request) {
        if (!covers(request.interfaceRole(), request.method())) {
            return false;
        }
        return commands.isEmpty() ? request.segments().isEmpty() : request.segments().size() == 1
                && commands.contains(request.segments().get(0).toUpperCase(Locale.ROOT));
    }

    /** How the fields are named in messages: {@code ""} or {@code "token."}. */
    public String prefix() {
        return objectField == null ? "" : objectField + ".";
    }
}
