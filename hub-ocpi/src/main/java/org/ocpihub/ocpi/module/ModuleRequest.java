package org.ocpihub.ocpi.module;

import java.util.List;

import org.ocpihub.ocpi.version.InterfaceRole;

import tools.jackson.databind.node.ObjectNode;

/**
 * What a module profile's rules look at in one request to a hub's functional endpoint.
 *
 * @param interfaceRole the interface called
 * @param method        the HTTP method, upper case ({@code "PUT"})
 * @param segments      the decoded path segments after {@code /<module>/<sender|receiver>}
 * @param body          the request body as read strictly (duplicate keys refused), or null when it was not read
 */
public record ModuleRequest(InterfaceRole interfaceRole, String method, List<String> segments, ObjectNode body) {

    public ModuleRequest {
        segments = List.copyOf(segments);
    }

    /** True for a call to the SENDER interface. */
    public boolean toSender() {
        return interfaceRole == InterfaceRole.SENDER;
    }

    /** True for PUT and PATCH, the methods that push a Client Owned Object (TF 4.1.5). */
    public boolean objectPush() {
        return "PUT".equals(method) || "PATCH".equals(method);
    }
}
