package org.ocpihub.testkit.party;

import java.util.List;
import java.util.Set;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * A Receiver interface for Client Owned Objects pushed to {@code {url}/{country_code}/{party_id}/{id}[/...]} (TF
 * 4.1.5): Locations, Tariffs, Sessions and Tokens, and the ClientInfo the hub pushes to {@code {url}/{cc}/{pid}}.
 * It stores what it received under the URL path (see {@link ReceivedObjects}): PUT replaces, PATCH merges top-level
 * fields, DELETE removes, each answering 1000 without data; GET returns the stored object. Unknown objects answer HTTP
 * 404 with the module's "unknown" status.
 */
final class ClientOwnedObjectReceiver implements RouteHandler {

    /** How one module's Receiver behaves. */
    record Spec(String module, Set<String> methods, int minSegments, int maxSegments, int unknownStatus,
                boolean typedByQuery, Set<String> appendedArrays) {
    }

    static final Spec LOCATIONS = new Spec("locations", Set.of("GET", "PUT", "PATCH"), 3, 5, 2003, false, Set.of());
    static final Spec TARIFFS = new Spec("tariffs", Set.of("GET", "PUT", "DELETE"), 3, 3, 2000, false, Set.of());
    static final Spec SESSIONS = new Spec("sessions", Set.of("GET", "PUT", "PATCH"), 3, 3, 2000, false,
            Set.of("charging_periods"));
    static final Spec TOKENS = new Spec("tokens", Set.of("GET", "PUT", "PATCH"), 3, 3, 2004, true, Set.of());
    static final Spec CLIENT_INFO = new Spec("hubclientinfo", Set.of("GET", "PUT"), 2, 2, 2000, false, Set.of());

    private final Spec spec;
    private final String path;
    private final ReceivedObjects store;

    ClientOwnedObjectReceiver(Spec spec, ReceivedObjects store) {
        this.spec = spec;
        this.path = SelfDescription.modulePath(spec.module(), "RECEIVER");
        this.store = store;
    }

    @Override
    public Mono<OcpiReply> handle(OcpiRequest request) {
        List<String> segments = ModulePaths.segmentsAfter(request.recorded().path(), path);
        if (segments.size() < spec.minSegments() || segments.size() > spec.maxSegments()) {
            return Replies.notFound(2000, "Not found: " + request.recorded().path());
        }
        String method = request.recorded().method();
        if (!spec.methods().contains(method)) {
            return Replies.methodNotAllowed(request);
        }
        String key = key(request, segments);
        switch (method) {
            case "GET":
                return store.get(key)
                        .map(Replies::ok)
                        .orElseGet(() -> unknown(key));
            case "DELETE":
                return store.remove(key) ? Replies.ok(null) : unknown(key);
            default:
                JsonNode body = Replies.object(request);
                if (body == null) {
                    return Replies.notAJsonObject();
                }
                if ("PUT".equals(method)) {
                    store.put(key, body);
                    return Replies.ok(null);
                }
                return store.merge(key, body, spec.appendedArrays()) ? Replies.ok(null) : unknown(key);
        }
    }

    private String key(OcpiRequest request, List<String> segments) {
        String key = String.join("/", segments);
        if (spec.typedByQuery()) {
            String type = request.recorded().queryParam("type");
            if (type != null && !type.isEmpty() && !"RFID".equals(type)) {
                key += "?type=" + type;
            }
        }
        return key;
    }

    private Mono<OcpiReply> unknown(String key) {
        return Replies.notFound(spec.unknownStatus(), "Unknown " + spec.module() + " object: " + key);
    }
}
