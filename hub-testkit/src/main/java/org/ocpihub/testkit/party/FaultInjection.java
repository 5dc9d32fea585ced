package org.ocpihub.testkit.party;

import java.util.function.Supplier;

import reactor.core.publisher.Mono;

/** Turns a {@link Fault} into behaviour around an endpoint's normal answer. */
final class FaultInjection {

    /** Signals the server to close the connection without answering ({@link Fault.Kind#CLOSE_CONNECTION}). */
    static final class DropConnection extends RuntimeException {

        DropConnection() {
            super("simulated fault: close the connection without an answer", null, false, false);
        }
    }

    private FaultInjection() {
    }

    /**
     * Applies a fault to an answer; kinds that only change the content of the answer (TINY_PAGES, NO_ENDPOINTS,
     * NO_MATCHING_VERSION) are left to the endpoint and answer normally here.
     */
    static Mono<OcpiReply> apply(Fault fault, Supplier<Mono<OcpiReply>> normal) {
        return switch (fault.kind()) {
            case SLOW -> Mono.delay(fault.delay()).then(Mono.defer(normal));
            case REFUSE_500 -> Mono.just(OcpiReply.error(500, 3000, "simulated failure (fault REFUSE_500)"));
            case GARBAGE_JSON -> Mono.just(OcpiReply.raw(200, "{\"data\": [ this is <not> json"));
            case CLOSE_CONNECTION -> Mono.error(new DropConnection());
            case BOM -> Mono.defer(normal).map(r -> new OcpiReply(r.httpStatus(), "\uFEFF" + r.body(), r.headers()));
            case ODD_TIMESTAMP -> Mono.defer(normal).map(r -> new OcpiReply(r.httpStatus(), r.body().replaceFirst(
                    "\"timestamp\"\\s*:\\s*\"[^\"]*\"", "\"timestamp\":\"" + Fault.ODD_TIMESTAMP_VALUE + "\""),
                    r.headers()));
            case NONE, TINY_PAGES, NO_ENDPOINTS, NO_MATCHING_VERSION -> Mono.defer(normal);
        };
    }
}
