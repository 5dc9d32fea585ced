package org.ocpihub.testkit.party;

import java.util.List;

import reactor.core.publisher.Mono;

/** A Sender interface that only serves its paginated list (Tariffs, CDRs): {@code GET {url}[?date_from..]}. */
final class SenderListing implements RouteHandler {

    private final String moduleInterface;
    private final String path;
    private final OwnedObjects objects;
    private final ModuleContext context;

    SenderListing(String module, OwnedObjects objects, ModuleContext context) {
        this.moduleInterface = module + ":SENDER";
        this.path = SelfDescription.modulePath(module, "SENDER");
        this.objects = objects;
        this.context = context;
    }

    @Override
    public Mono<OcpiReply> handle(OcpiRequest request) {
        List<String> segments = ModulePaths.segmentsAfter(request.recorded().path(), path);
        if (!segments.isEmpty()) {
            return Replies.notFound(2000, "Not found: " + request.recorded().path());
        }
        if (!Replies.is(request, "GET")) {
            return Replies.methodNotAllowed(request);
        }
        return Mono.just(context.page(request, moduleInterface, objects));
    }
}
