package org.ocpihub.testkit.party;

import java.util.List;

import reactor.core.publisher.Mono;

/**
 * The Sender-side endpoints that receive asynchronous results at the {@code response_url}s a platform hands out:
 * CommandResults ({@code POST {commands sender url}/{id}}, CMD 13.2.2), ChargingProfile results
 * ({@code POST {chargingprofiles sender url}/{id}}) and ActiveChargingProfile updates
 * ({@code PUT {chargingprofiles sender url}/{session_id}}, stored by session id) (CP 14.4.2). All answer 1000
 * without data; what arrived is in the platform's recorded requests.
 */
final class AsyncResultsReceiver implements RouteHandler {

    private final String path;
    private final ReceivedObjects activeProfiles;

    /** @param activeProfiles where PUT ActiveChargingProfiles go; null for Commands, which has no PUT */
    AsyncResultsReceiver(String module, ReceivedObjects activeProfiles) {
        this.path = SelfDescription.modulePath(module, "SENDER");
        this.activeProfiles = activeProfiles;
    }

    @Override
    public Mono<OcpiReply> handle(OcpiRequest request) {
        List<String> segments = ModulePaths.segmentsAfter(request.recorded().path(), path);
        if (segments.isEmpty()) {
            return Replies.notFound(2000, "Not found: " + request.recorded().path());
        }
        boolean put = Replies.is(request, "PUT") && activeProfiles != null && segments.size() == 1;
        if (!Replies.is(request, "POST") && !put) {
            return Replies.methodNotAllowed(request);
        }
        if (Replies.object(request) == null) {
            return Replies.notAJsonObject();
        }
        if (put) {
            activeProfiles.put(segments.get(0), request.json());
        }
        return Replies.ok(null);
    }
}
