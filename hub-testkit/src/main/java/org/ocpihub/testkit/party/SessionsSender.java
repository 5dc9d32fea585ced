package org.ocpihub.testkit.party;

import java.util.List;

import reactor.core.publisher.Mono;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The CPO's Sessions Sender interface (SES 9.2.1): the paginated list, and
 * {@code PUT {url}/{session_id}/charging_preferences} answered with a ChargingPreferencesResponse.
 */
final class SessionsSender implements RouteHandler {

    private static final String INTERFACE = "sessions:SENDER";

    private final String path = SelfDescription.modulePath("sessions", "SENDER");
    private final OwnedObjects sessions;
    private final ModuleContext context;
    private volatile String preferencesResponse = "ACCEPTED";

    SessionsSender(OwnedObjects sessions, ModuleContext context) {
        this.sessions = sessions;
        this.context = context;
    }

    void preferencesResponse(String response) {
        this.preferencesResponse = response;
    }

    @Override
    public Mono<OcpiReply> handle(OcpiRequest request) {
        List<String> segments = ModulePaths.segmentsAfter(request.recorded().path(), path);
        if (segments.isEmpty()) {
            return Replies.is(request, "GET")
                    ? Mono.just(context.page(request, INTERFACE, sessions))
                    : Replies.methodNotAllowed(request);
        }
        if (segments.size() != 2 || !"charging_preferences".equals(segments.get(1))) {
            return Replies.notFound(2000, "Not found: " + request.recorded().path());
        }
        if (!Replies.is(request, "PUT")) {
            return Replies.methodNotAllowed(request);
        }
        if (Replies.object(request) == null) {
            return Replies.notAJsonObject();
        }
        return Replies.ok(JsonNodeFactory.instance.stringNode(preferencesResponse));
    }
}
