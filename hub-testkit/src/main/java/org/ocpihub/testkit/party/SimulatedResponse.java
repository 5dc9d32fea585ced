package org.ocpihub.testkit.party;

import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;

/**
 * A response received by a simulated platform's client: HTTP status, headers (names case-insensitive), raw body and
 * the body parsed as JSON (null when it is not JSON).
 */
public record SimulatedResponse(int httpStatus, Map<String, List<String>> headers, String rawBody, JsonNode body) {

    /** The OCPI {@code status_code} of the envelope, or -1 when there is none. */
    public int statusCode() {
        if (body == null) {
            return -1;
        }
        JsonNode code = body.path("status_code");
        return code.isIntegralNumber() ? code.intValue() : -1;
    }

    /** The {@code status_message} of the envelope, or null. */
    public String statusMessage() {
        return OcpiJson.text(body, "status_message");
    }

    /** The {@code data} of the envelope; a missing node (never null) when absent. */
    public JsonNode data() {
        return body == null ? MissingNode.getInstance() : body.path("data");
    }

    /** The first value of a header, case-insensitive, or null. */
    public String header(String name) {
        return HeaderMaps.first(headers, name);
    }

    /** True for HTTP 200 with OCPI status 1000. */
    public boolean isSuccess() {
        return httpStatus == 200 && statusCode() == 1000;
    }
}
