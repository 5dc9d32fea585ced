package org.ocpihub.testkit.party;

import java.time.Instant;
import java.util.Map;

import tools.jackson.databind.JsonNode;

/**
 * A request a simulated platform sent on its own initiative (e.g. a CommandResult POSTed to a {@code response_url}),
 * recorded once it was answered or failed: method, URL, the headers it set (Authorization, request ids, routing
 * headers), body, and the response (null when none came, then {@code error} says why).
 */
public record SentRequest(String method, String url, Map<String, String> headers, String body,
                          SimulatedResponse response, String error, Instant sentAt) {

    public SentRequest {
        headers = Map.copyOf(headers);
    }

    /** The first value of a header this platform set, case-insensitive, or null. */
    public String header(String name) {
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue).findFirst().orElse(null);
    }

    /** The body parsed as JSON, or null. */
    public JsonNode json() {
        return OcpiJson.parseOrNull(body);
    }

    /** True when a response came back (whatever its status). */
    public boolean answered() {
        return response != null;
    }

    /** {@code "METHOD url -> status"}, handy in assertion messages. */
    public String line() {
        return method + " " + url + " -> " + (response != null
                ? response.httpStatus() + "/" + response.statusCode() : "error: " + error);
    }
}
