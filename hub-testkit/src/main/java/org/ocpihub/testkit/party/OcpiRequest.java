package org.ocpihub.testkit.party;

import tools.jackson.databind.JsonNode;

/** An authenticated request as a route handler sees it: the recorded request, the caller's token and status. */
public record OcpiRequest(RecordedRequest recorded, String token, Caller caller) {

    /** What the caller's token stands for. */
    public enum Caller {
        /** A CREDENTIALS_TOKEN_A this platform issued: only versions, version details and credentials. */
        TOKEN_A,
        /** A peer that unregistered (DELETE): only versions, version details and credentials. */
        UNREGISTERED,
        /** The registered peer. */
        REGISTERED
    }

    /** The body parsed as JSON, or null when empty or not JSON. */
    public JsonNode json() {
        return recorded.json();
    }
}
