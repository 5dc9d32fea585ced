package org.ocpihub.router.agreement;

import org.ocpihub.ocpi.OcpiStatus;
import org.ocpihub.registry.http.OcpiException;
import org.springframework.http.HttpStatus;

/**
 * The answer to a routed call between two parties without the agreement it needs (issue 13, D14): HTTP 403 with
 * OCPI status 2000 and a message naming the missing agreement, e.g. {@code no roaming agreement between NL/ALP and
 * DE/E00 for module tokens; the hub operator manages agreements}.
 *
 * <p>Why 2000 and not 4001: the receiver exists and is reachable; the sender may not reach it, which is the sender's
 * business to settle with the hub operator (the spec has no code for it; ocpi-hub-requirements §9.2). 403 because the
 * request is understood and refused.
 */
public final class AgreementRefusal {

    private AgreementRefusal() {
    }

    /** The exception that answers the call with {@code message}. */
    public static OcpiException of(String message) {
        return new OcpiException(HttpStatus.FORBIDDEN, OcpiStatus.CLIENT_ERROR, message);
    }
}
