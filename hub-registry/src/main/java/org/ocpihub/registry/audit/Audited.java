package org.ocpihub.registry.audit;

import java.util.UUID;
import java.util.function.Function;

import org.ocpihub.registry.http.AdminApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.publisher.Mono;

/**
 * Runs one operator action and records it in the {@link AuditLog}, success and failure alike: the services call it
 * so that no action path can forget its entry. A failure is recorded with the operator's message
 * ({@link AdminApiException#getMessage()}), anything unexpected as "failed unexpectedly"; the action's own error is
 * then passed on unchanged. An audit write that fails after the action failed is logged, not thrown, so the operator
 * still sees why the action failed.
 */
public final class Audited {

    private static final Logger log = LoggerFactory.getLogger(Audited.class);

    private Audited() {
    }

    /**
     * @param audit      the log
     * @param actor      who
     * @param action     what, {@code <subject>.<verb>}
     * @param platformId the platform acted on, or null
     * @param name       its name, or null
     * @param work       the action; must emit one value on success
     * @param okDetail   the entry's detail for the action's value (operator words, no token)
     * @return the action's value, after the entry is stored
     */
    public static <T> Mono<T> run(AuditLog audit, Actor actor, String action, UUID platformId, String name,
                                  Mono<T> work, Function<? super T, String> okDetail) {
        return work
                .onErrorResume(e -> audit.record(actor, action, platformId, name, AuditLog.FAILED, failureDetail(e))
                        .onErrorResume(auditFailure -> {
                            log.error("audit entry for a failed {} could not be stored", action, auditFailure);
                            return Mono.empty();
                        })
                        .then(Mono.error(e)))
                .flatMap(value -> audit.record(actor, action, platformId, name, AuditLog.OK, okDetail.apply(value))
                        .thenReturn(value));
    }

    /** The operator's message of a failure, never a class name or a stack trace. */
    public static String failureDetail(Throwable e) {
        return e instanceof AdminApiException a ? a.getMessage() : "failed unexpectedly (see the server log)";
    }
}
