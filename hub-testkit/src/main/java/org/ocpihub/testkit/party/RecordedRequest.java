package org.ocpihub.testkit.party;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;

/**
 * One HTTP request a simulated platform received: method, path (raw, as sent), query (raw, null when absent),
 * headers (names case-insensitive), body as UTF-8 text (empty string when none) and as the exact bytes received, and
 * the time it arrived.
 */
public record RecordedRequest(String method, String path, String query, Map<String, List<String>> headers,
                              String body, byte[] bodyBytes, Instant receivedAt) {

    public RecordedRequest {
        bodyBytes = bodyBytes.clone();
    }

    /** A copy of the exact body bytes received. */
    @Override
    public byte[] bodyBytes() {
        return bodyBytes.clone();
    }

    /** The first value of a header, case-insensitive, or null. */
    public String header(String name) {
        return HeaderMaps.first(headers, name);
    }

    /** All values of a header, case-insensitive; empty when absent. */
    public List<String> headerValues(String name) {
        List<String> values = headers.get(name);
        return values == null ? List.of() : values;
    }

    /** The body parsed as JSON, or null when it is empty or not JSON. */
    public JsonNode json() {
        return OcpiJson.parseOrNull(body);
    }

    /** The decoded value of the first query parameter with this name, or null. */
    public String queryParam(String name) {
        return QueryString.parse(query).first(name);
    }

    /** {@code "METHOD path?query"}, handy in assertion messages. */
    public String line() {
        return method + " " + path + (query == null ? "" : "?" + query);
    }
}
