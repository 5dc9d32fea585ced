package org.ocpihub.broadcast.delivery;

import java.util.UUID;

import org.ocpihub.broadcast.log.BroadcastRecord;
import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.ocpi.party.Role;
import org.ocpihub.registry.audit.Actor;
import org.ocpihub.registry.audit.AuditLog;
import org.ocpihub.registry.audit.Audited;
import org.ocpihub.registry.http.AdminApiException;
import org.ocpihub.registry.messagelog.MessageLog;
import org.ocpihub.registry.platform.PlatformRegistry;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

import reactor.core.publisher.Mono;

/**
 * What an operator can do with broadcast deliveries that failed (D7), for the JSON admin API and the console alike:
 * list them by filter, replay one (the same request again, now), send the receiver the object's current state from
 * the hub's store instead, or replay every failure a filter matches. Every action is recorded in the
 * {@link AuditLog}, success and failure. Errors are {@link AdminApiException}s (404 unknown delivery, 409 nothing to
 * resend).
 */
@Service
public class DeliveryOperations {

    /** The most deliveries one bulk replay sends. */
    public static final int MAX_BULK = 1000;

    private final DeliveryFailureStore failures;
    private final DeliveryClient client;
    private final CurrentObjects current;
    private final PlatformRegistry registry;
    private final AuditLog audit;
    private final MessageLog messageLog;

    /** @param messageLog where every replayed delivery is written too (routing case REPLAY), when it is on */
    public DeliveryOperations(DeliveryFailureStore failures, DeliveryClient client, CurrentObjects current,
                              PlatformRegistry registry, AuditLog audit, MessageLog messageLog) {
        this.messageLog = messageLog;
        this.failures = failures;
        this.client = client;
        this.current = current;
        this.registry = registry;
        this.audit = audit;
    }

    /**
     * One page of the deliveries the filter matches, newest first, with the total.
     *
     * @param filter receiver, module, time, status and page
     */
    public Mono<DeliveryPage> list(DeliveryFilter filter) {
        return Mono.zip(failures.list(filter).map(DeliveryView::of).collectList(), failures.count(filter))
                .map(t -> new DeliveryPage(t.getT1(), t.getT2(), filter.offset(), filter.limit()));
    }

    /**
     * Sends the recorded request again, one attempt, so the operator sees the answer at once: REPLAYED when the
     * receiver accepted it, else still FAILED with the new error.
     *
     * @param id the delivery's id as the operator gave it
     * @throws AdminApiException 404 unknown delivery
     */
    public Mono<DeliveryView> replay(Actor actor, String id) {
        return action(actor, "delivery.replay", id, failure -> send(failure, asRecord(failure, failure.method(),
                failure.pathSuffix(), failure.query(), failure.body())));
    }

    /**
     * Sends the receiver the object's current state from the hub's store, as a PUT.
     *
     * @throws AdminApiException 404 unknown delivery; 409 when the store has no current state of the object
     */
    public Mono<DeliveryView> resendCurrent(Actor actor, String id) {
        return action(actor, "delivery.resend-current", id, failure -> current.of(failure)
                .switchIfEmpty(Mono.error(new AdminApiException(HttpStatus.CONFLICT,
                        "the hub's store has no current state of this object (deleted or never stored)")))
                .flatMap(state -> send(failure, asRecord(failure, "PUT", state.suffix(), failure.query(),
                        state.body()))));
    }

    /**
     * Replays every FAILED delivery the filter matches (its page and status ignored), oldest first and one after
     * another so each receiver gets them in the order they failed, at most {@value #MAX_BULK}.
     *
     * @return how many matched, were accepted, and failed again
     */
    public Mono<BulkReplayResult> replayAll(Actor actor, DeliveryFilter filter) {
        DeliveryFilter failed = new DeliveryFilter(filter.receiverPlatformId(), filter.module(), filter.from(),
                filter.to(), DeliveryFilter.FAILED, 0, 1);
        UUID platform = filter.receiverPlatformId();
        Mono<BulkReplayResult> work = failures.oldestFirst(failed, MAX_BULK)
                .concatMap(failure -> send(failure, asRecord(failure, failure.method(), failure.pathSuffix(),
                        failure.query(), failure.body())))
                .reduce(new BulkReplayResult(0, 0, 0), (sum, view) -> DeliveryFilter.REPLAYED.equals(view.status())
                        ? new BulkReplayResult(sum.matched() + 1, sum.replayed() + 1, sum.failed())
                        : new BulkReplayResult(sum.matched() + 1, sum.replayed(), sum.failed() + 1));
        return Audited.run(audit, actor, "delivery.replay-all", platform, platformName(platform), work,
                r -> "bulk replay of " + describe(filter) + ": " + r.matched() + " matched, " + r.replayed()
                        + " replayed, " + r.failed() + " failed again");
    }

    private Mono<DeliveryView> send(DeliveryFailure failure, BroadcastRecord record) {
        Delivery delivery = new Delivery(record, failure.receiverPlatformId(), failure.receiver());
        return client.deliver(delivery, 1)
                .doOnNext(result -> {
                    if (messageLog.enabled()) {
                        messageLog.append(DeliveryLogRow.of(delivery, result, DeliveryLogRow.OPERATOR_REPLAY,
                                registry));
                    }
                })
                .flatMap(result -> failures.replayed(failure.id(),
                        result.outcome() == DeliveryOutcome.DELIVERED ? DeliveryFilter.REPLAYED : DeliveryFilter.FAILED,
                        result.outcome() == DeliveryOutcome.DELIVERED ? "replayed by an operator" : result.error()))
                .then(failures.find(failure.id()))
                .map(DeliveryView::of);
    }

    private static BroadcastRecord asRecord(DeliveryFailure failure, String method, String suffix, String query,
                                            byte[] body) {
        String[] segments = suffix.substring(1).split("/");
        return new BroadcastRecord(failure.broadcastId(), failure.correlationId(), failure.module(), method,
                PartyId.of(segments[0], segments[1]), Role.OTHER, null, suffix, query, body, failure.createdAt());
    }

    /** Finds the delivery and runs {@code work} on it, audited; an unknown id is audited as a failure too. */
    private Mono<DeliveryView> action(Actor actor, String action, String id,
                                      java.util.function.Function<DeliveryFailure, Mono<DeliveryView>> work) {
        return find(id)
                .onErrorResume(AdminApiException.class, e -> Audited.run(audit, actor, action, null, null,
                        Mono.error(e), v -> ""))
                .flatMap(failure -> Audited.run(audit, actor, action, failure.receiverPlatformId(),
                        platformName(failure.receiverPlatformId()), Mono.defer(() -> work.apply(failure)),
                        v -> "delivery " + v.id() + " (" + v.module() + " " + v.method() + " " + v.path() + " to "
                                + v.receiver() + "): " + v.status()
                                + (DeliveryFilter.REPLAYED.equals(v.status()) ? "" : ", " + v.lastError())));
    }

    private Mono<DeliveryFailure> find(String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return Mono.error(new AdminApiException(HttpStatus.NOT_FOUND, "no delivery with id " + id));
        }
        return failures.find(uuid)
                .switchIfEmpty(Mono.error(new AdminApiException(HttpStatus.NOT_FOUND, "no delivery with id " + id)));
    }

    private String platformName(UUID id) {
        return id == null ? null : registry.snapshot().platform(id).map(e -> e.platform().name()).orElse(null);
    }

    private static String describe(DeliveryFilter f) {
        StringBuilder out = new StringBuilder("failed deliveries");
        if (f.receiverPlatformId() != null) {
            out.append(" to ").append(f.receiverPlatformId());
        }
        if (f.module() != null) {
            out.append(" of ").append(f.module().id());
        }
        if (f.from() != null) {
            out.append(" from ").append(f.from());
        }
        if (f.to() != null) {
            out.append(" to ").append(f.to());
        }
        return out.toString();
    }
}
