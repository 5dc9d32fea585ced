package org.ocpihub.testkit.party;

import java.util.function.Supplier;

import reactor.core.publisher.Mono;

/** Serves {@code GET versions} and {@code GET version details} (VER 6), with switchable faults. */
final class VersionsEndpoints {

    private final SelfDescription self;
    private volatile Fault versionsFault = Fault.NONE;
    private volatile Fault detailsFault = Fault.NONE;

    VersionsEndpoints(SelfDescription self) {
        this.self = self;
    }

    void faults(Fault onVersions, Fault onDetails) {
        this.versionsFault = onVersions;
        this.detailsFault = onDetails;
    }

    Mono<OcpiReply> versions(OcpiRequest request) {
        Fault fault = versionsFault;
        return apply(fault, () -> OcpiReply.ok(self.versions(fault.kind() == Fault.Kind.NO_MATCHING_VERSION)));
    }

    Mono<OcpiReply> details(OcpiRequest request) {
        Fault fault = detailsFault;
        return apply(fault, () -> OcpiReply.ok(self.versionDetails(fault.kind() == Fault.Kind.NO_ENDPOINTS)));
    }

    private static Mono<OcpiReply> apply(Fault fault, Supplier<OcpiReply> normal) {
        return switch (fault.kind()) {
            case SLOW -> Mono.delay(fault.delay()).map(tick -> normal.get());
            case REFUSE_500 -> Mono.just(OcpiReply.error(500, 3000, "simulated failure (fault REFUSE_500)"));
            case GARBAGE_JSON -> Mono.just(OcpiReply.raw(200, "{\"data\": [ this is <not> json"));
            case NONE, NO_ENDPOINTS, NO_MATCHING_VERSION -> Mono.fromSupplier(normal);
        };
    }
}
