package org.ocpihub.testkit.party;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;

/**
 * One HTTP request a simulated platform received: method, path, raw query (null when absent), headers (names
 * case-insensitive), body (empty string when none) and the time it arrived.
 */
public record RecordedRequest(String method, String path, String query, Map<String, List<String>> headers,
                              String body, Instant receivedAt) {

    /** The first value of a header, case-insensitive, or null. */
    public String header(String name) {
        return HeaderMaps.first(headers, name);
    }

    /** The body parsed as JSON, or null when it is empty or not JSON. */
    public JsonNode json() {
        return OcpiJson.parseOrNull(body);
    }

    /** {@code "METHOD path?query"}, handy in assertion messages. */
    public String line() {
        return method + " " + path + (query == null ? "" : "?" + query);
    }
}
