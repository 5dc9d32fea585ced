package org.ocpihub.testkit.party;

import java.util.List;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * The CPO's Locations Sender interface (LOC 8.2.1): the paginated list, and
 * {@code GET {url}/{location_id}[/{evse_uid}[/{connector_id}]]}; unknown objects answer HTTP 404 + 2003.
 */
final class LocationsSender implements RouteHandler {

    private static final String INTERFACE = "locations:SENDER";

    private final String path = SelfDescription.modulePath("locations", "SENDER");
    private final OwnedObjects locations;
    private final ModuleContext context;

    LocationsSender(OwnedObjects locations, ModuleContext context) {
        this.locations = locations;
        this.context = context;
    }

    @Override
    public Mono<OcpiReply> handle(OcpiRequest request) {
        if (!Replies.is(request, "GET")) {
            return Replies.methodNotAllowed(request);
        }
        List<String> segments = ModulePaths.segmentsAfter(request.recorded().path(), path);
        if (segments.isEmpty()) {
            return Mono.just(context.page(request, INTERFACE, locations));
        }
        if (segments.size() > 3) {
            return Replies.notFound(2000, "Not found: " + request.recorded().path());
        }
        JsonNode location = locations.find(segments.get(0));
        if (location == null) {
            return Replies.notFound(2003, "Unknown location: " + segments.get(0));
        }
        if (segments.size() == 1) {
            return Replies.ok(location);
        }
        JsonNode evse = element(location.path("evses"), "uid", segments.get(1));
        if (evse == null) {
            return Replies.notFound(2003, "Unknown EVSE: " + segments.get(1));
        }
        if (segments.size() == 2) {
            return Replies.ok(evse);
        }
        JsonNode connector = element(evse.path("connectors"), "id", segments.get(2));
        return connector == null
                ? Replies.notFound(2003, "Unknown connector: " + segments.get(2))
                : Replies.ok(connector);
    }

    private static JsonNode element(JsonNode array, String idField, String id) {
        for (JsonNode element : array) {
            if (id.equalsIgnoreCase(OcpiJson.text(element, idField))) {
                return element;
            }
        }
        return null;
    }
}
