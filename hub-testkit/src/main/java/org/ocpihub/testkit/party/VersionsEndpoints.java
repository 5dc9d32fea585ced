package org.ocpihub.testkit.party;

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
        return FaultInjection.apply(fault, () -> Mono.just(
                OcpiReply.ok(self.versions(fault.kind() == Fault.Kind.NO_MATCHING_VERSION))));
    }

    Mono<OcpiReply> details(OcpiRequest request) {
        Fault fault = detailsFault;
        return FaultInjection.apply(fault, () -> Mono.just(
                OcpiReply.ok(self.versionDetails(fault.kind() == Fault.Kind.NO_ENDPOINTS))));
    }
}
