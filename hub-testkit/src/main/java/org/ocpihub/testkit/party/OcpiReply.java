package org.ocpihub.testkit.party;

import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.databind.JsonNode;

/** What a route handler answers: HTTP status, body text (usually an OCPI envelope) and extra response headers. */
public record OcpiReply(int httpStatus, String body, Map<String, String> headers) {

    public OcpiReply {
        headers = Map.copyOf(headers);
    }

    /** HTTP 200, status 1000, with {@code data} (null to omit it). */
    public static OcpiReply ok(JsonNode data) {
        return envelope(200, data, 1000, "Success");
    }

    /** An OCPI envelope with the given HTTP status, data (null to omit), status code and message. */
    public static OcpiReply envelope(int httpStatus, JsonNode data, int statusCode, String statusMessage) {
        return new OcpiReply(httpStatus, OcpiJson.envelope(data, statusCode, statusMessage), Map.of());
    }

    /** An OCPI error envelope without data. */
    public static OcpiReply error(int httpStatus, int statusCode, String statusMessage) {
        return envelope(httpStatus, null, statusCode, statusMessage);
    }

    /** Any body, sent as {@code application/json} whatever it holds. */
    public static OcpiReply raw(int httpStatus, String body) {
        return new OcpiReply(httpStatus, body, Map.of());
    }

    /** A copy with one more response header. */
    public OcpiReply withHeader(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return new OcpiReply(httpStatus, body, copy);
    }
}
