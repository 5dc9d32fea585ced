package org.ocpihub.testkit.party;

import java.util.List;

import reactor.core.publisher.Mono;

/**
 * The eMSP's CDRs Receiver interface (CDR 10.2.2): {@code POST {url}} stores the CDR under a new id and answers 1000
 * with a {@code Location} header pointing at it in this system ({@code {url}/{id}}); {@code GET} of that URL returns it.
 */
final class CdrsReceiver implements RouteHandler {

    private final String path = SelfDescription.modulePath("cdrs", "RECEIVER");
    private final String baseUrl;
    private final ReceivedObjects cdrs;

    CdrsReceiver(String baseUrl, ReceivedObjects cdrs) {
        this.baseUrl = baseUrl;
        this.cdrs = cdrs;
    }

    @Override
    public Mono<OcpiReply> handle(OcpiRequest request) {
        List<String> segments = ModulePaths.segmentsAfter(request.recorded().path(), path);
        if (segments.isEmpty()) {
            if (!Replies.is(request, "POST")) {
                return Replies.methodNotAllowed(request);
            }
            if (Replies.object(request) == null) {
                return Replies.notAJsonObject();
            }
            String id = Ids.next();
            cdrs.put(id, request.json());
            return Mono.just(OcpiReply.ok(null).withHeader("Location", baseUrl + path + "/" + id));
        }
        if (segments.size() != 1) {
            return Replies.notFound(2000, "Not found: " + request.recorded().path());
        }
        if (!Replies.is(request, "GET")) {
            return Replies.methodNotAllowed(request);
        }
        return cdrs.get(segments.get(0))
                .map(Replies::ok)
                .orElseGet(() -> Replies.notFound(2000, "Unknown CDR: " + segments.get(0)));
    }
}
