package org.ocpihub.testkit.party;

import java.util.List;
import java.util.Map;

/**
 * Outcome of a credentials registration this platform started (CRED 7.1.1, Sender side).
 *
 * @param step           the last step attempted: {@code versions}, {@code details} or {@code credentials}
 * @param httpStatus     HTTP status of that step's response
 * @param statusCode     OCPI status code of that step's response (-1 when the body was no envelope)
 * @param statusMessage  the peer's status message, or a description of what this platform found wrong
 * @param tokenC         the token the peer issued (null unless successful)
 * @param hubRoles       the roles in the peer's Credentials (empty unless successful)
 * @param hubEndpoints   the peer's 2.2.1 endpoints keyed by {@code module:ROLE} (empty when not fetched)
 */
public record RegistrationResult(String step, int httpStatus, int statusCode, String statusMessage, String tokenC,
                                 List<PartyRole> hubRoles, Map<String, String> hubEndpoints) {

    /** True when the peer accepted the POST and returned a token. */
    public boolean isSuccess() {
        return "credentials".equals(step) && httpStatus == 200 && statusCode == 1000 && tokenC != null;
    }

    static RegistrationResult failed(String step, SimulatedResponse response, String message,
                                     Map<String, String> endpoints) {
        int http = response == null ? -1 : response.httpStatus();
        int code = response == null ? -1 : response.statusCode();
        String msg = message != null ? message : response == null ? null : response.statusMessage();
        return new RegistrationResult(step, http, code, msg, null, List.of(), endpoints);
    }
}
