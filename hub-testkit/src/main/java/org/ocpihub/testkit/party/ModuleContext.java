package org.ocpihub.testkit.party;

/** What module endpoints share: the platform's base URL, settings, routing headers and result sending. */
record ModuleContext(String baseUrl, ModuleSettings settings, RoutingHeaders routing, AfterResponse afterResponse,
                     ResultPoster poster) {

    /** A paginated answer over a Sender's objects, with that interface's page size. */
    OcpiReply page(OcpiRequest request, String moduleInterface, OwnedObjects objects) {
        return Pagination.page(request.recorded(), baseUrl, objects.snapshot(), settings.pageLimit(moduleInterface));
    }
}
