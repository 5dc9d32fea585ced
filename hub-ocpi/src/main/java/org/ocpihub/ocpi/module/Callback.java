package org.ocpihub.ocpi.module;

import org.ocpihub.ocpi.version.InterfaceRole;

/**
 * A URL in a request that the receiver is to call back (D5): the requester's {@code response_url}, which the hub
 * keeps behind a relay and replaces with a hub URL.
 *
 * @param interfaceRole the interface of the request that carries it
 * @param method        the HTTP method of that request (upper case), or null for every method no other callback of
 *                      the module names
 * @param place         in the body (a top-level string) or in the query
 * @param field         the field or query parameter, {@code response_url}
 * @param kind          the relay it becomes
 * @param watchAnswer   whether the hub reads the receiver's answer (a CommandResponse) to answer TIMEOUT itself when
 *                      the result never comes (CMD 13.3.2); the command (the first path segment) is kept with it
 */
public record Callback(InterfaceRole interfaceRole, String method, Place place, String field, RelayKind kind,
                       boolean watchAnswer) {

    /** Where a callback URL is written. */
    public enum Place { BODY, QUERY }

    /** The field every OCPI 2.2.1 callback uses. */
    public static final String RESPONSE_URL = "response_url";

    /** Whether this callback is carried by a request with {@code role} and {@code requestMethod}. */
    public boolean carriedBy(InterfaceRole role, String requestMethod) {
        return interfaceRole == role && (method == null || method.equals(requestMethod));
    }
}
