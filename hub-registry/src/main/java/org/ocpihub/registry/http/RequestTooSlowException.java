package org.ocpihub.registry.http;

/**
 * The request (its body) did not arrive within the server's {@code hub.http.read-timeout} or
 * {@code hub.http.request-timeout}: the client's fault, answered 408. Tagged by {@link EdgeFirewallFilter} where the
 * body is read, so a timeout of a call the hub makes itself is never mistaken for it.
 */
public class RequestTooSlowException extends RuntimeException {

    public RequestTooSlowException() {
        super("the request did not arrive in time: the hub closes connections whose request comes too slowly", null,
                false, false);
    }
}
