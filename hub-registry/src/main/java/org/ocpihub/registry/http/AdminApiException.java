package org.ocpihub.registry.http;

import org.springframework.http.HttpStatus;

/** An admin API error: HTTP status and a message naming the field or the conflict. */
public class AdminApiException extends RuntimeException {

    private final HttpStatus httpStatus;

    public AdminApiException(HttpStatus httpStatus, String message) {
        super(message, null, false, false);
        this.httpStatus = httpStatus;
    }

    public HttpStatus httpStatus() {
        return httpStatus;
    }
}
