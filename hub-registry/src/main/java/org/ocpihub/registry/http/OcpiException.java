package org.ocpihub.registry.http;

import org.springframework.http.HttpStatus;

/** An OCPI error answer: HTTP status, OCPI status code and a message that names what is wrong. */
public class OcpiException extends RuntimeException {

    private final HttpStatus httpStatus;
    private final int statusCode;

    public OcpiException(HttpStatus httpStatus, int statusCode, String message) {
        super(message, null, false, false);
        this.httpStatus = httpStatus;
        this.statusCode = statusCode;
    }

    public HttpStatus httpStatus() {
        return httpStatus;
    }

    public int statusCode() {
        return statusCode;
    }
}
