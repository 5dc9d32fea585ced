package org.ocpihub.registry.credentials;

/** A credentials handshake that cannot go on, with the OCPI status that says why (2001, 3001, 3002, 3003). */
public class HandshakeException extends RuntimeException {

    private final int statusCode;

    public HandshakeException(int statusCode, String message) {
        super(message, null, false, false);
        this.statusCode = statusCode;
    }

    public int statusCode() {
        return statusCode;
    }
}
