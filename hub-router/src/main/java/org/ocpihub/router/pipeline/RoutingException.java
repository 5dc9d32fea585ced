package org.ocpihub.router.pipeline;

import org.ocpihub.registry.http.OcpiException;
import org.springframework.http.HttpStatus;

/** A hub routing failure (SC 5.4): HTTP 200 with status 4000-4003 and a message naming the party. */
public class RoutingException extends OcpiException {

    public RoutingException(int statusCode, String message) {
        super(HttpStatus.OK, statusCode, message);
    }
}
