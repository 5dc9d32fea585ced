package org.ocpihub.testkit.party;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/** Common answers of the module endpoints. */
final class Replies {

    private Replies() {
    }

    static Mono<OcpiReply> ok(JsonNode data) {
        return Mono.just(OcpiReply.ok(data));
    }

    static Mono<OcpiReply> notFound(int statusCode, String message) {
        return Mono.just(OcpiReply.error(404, statusCode, message));
    }

    static Mono<OcpiReply> methodNotAllowed(OcpiRequest request) {
        return Mono.just(OcpiReply.error(405, 2000, "Method not allowed: " + request.recorded().method()));
    }

    /** HTTP 400 + 2001: the body is no JSON object (SC 5: invalid JSON MUST give 400). */
    static Mono<OcpiReply> notAJsonObject() {
        return Mono.just(OcpiReply.error(400, 2001, "Body is not a JSON object"));
    }

    /** HTTP 200 + 2001: a required parameter is missing or invalid. */
    static Mono<OcpiReply> invalidParameters(String message) {
        return Mono.just(OcpiReply.error(200, 2001, "Invalid or missing parameters: " + message));
    }

    /** The body as a JSON object, or null. */
    static JsonNode object(OcpiRequest request) {
        JsonNode body = request.json();
        return body != null && body.isObject() ? body : null;
    }

    static boolean is(OcpiRequest request, String method) {
        return method.equals(request.recorded().method());
    }
}
