package org.ocpihub.broadcast.delivery;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import org.ocpihub.broadcast.log.BroadcastRecord;
import org.ocpihub.ocpi.OcpiDateTime;
import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.ocpi.party.Role;
import org.ocpihub.registry.http.AdminApiException;
import org.ocpihub.registry.http.AdminQuery;
import org.ocpihub.registry.http.HubPaths;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import reactor.core.publisher.Mono;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;
import tools.jackson.databind.annotation.JsonSerialize;

/**
 * The operator's view of broadcast deliveries that failed (D7): list them, replay one (the same request again, now),
 * or send the receiver the object's current state from the hub's store instead.
 */
@RestController
@RequestMapping(HubPaths.ADMIN_API + "/deliveries")
public class DeliveryAdminController {

    /** A failed delivery as the admin API shows it (the body is not shown: it may hold personal data). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record DeliveryView(UUID id, String correlationId, String broadcastId, UUID receiverPlatformId,
                               String receiver, String module, String method, String path, int attempts,
                               String lastError, String status,
                               @JsonSerialize(using = OcpiDateTime.Serializer.class) Instant createdAt,
                               @JsonSerialize(using = OcpiDateTime.Serializer.class) Instant updatedAt) {

        static DeliveryView of(DeliveryFailure f) {
            return new DeliveryView(f.id(), f.correlationId(), f.broadcastId(), f.receiverPlatformId(),
                    f.receiver().toString(), f.module().id(), f.method(),
                    f.pathSuffix() + (f.query() == null ? "" : "?" + f.query()), f.attempts(), f.lastError(),
                    f.status(), f.createdAt(), f.updatedAt());
        }
    }

    private final DeliveryFailureStore failures;
    private final DeliveryClient client;
    private final CurrentObjects current;

    public DeliveryAdminController(DeliveryFailureStore failures, DeliveryClient client, CurrentObjects current) {
        this.failures = failures;
        this.client = client;
        this.current = current;
    }

    /**
     * The newest failed (or replayed) deliveries.
     *
     * @param status {@code failed} (default) or {@code replayed}
     * @param limit  how many at most: a whole number of at least 1 (default 100); above {@value #MAX_LIMIT} the
     *               list is cut at {@value #MAX_LIMIT}. Anything else (text, a sign, a fraction, beyond an int,
     *               given twice) is 400 naming {@code limit}.
     */
    @GetMapping
    public Mono<List<DeliveryView>> list(@RequestParam(defaultValue = "failed") String status,
                                         @RequestParam(defaultValue = "100") String limit) {
        String wanted = status.toUpperCase(Locale.ROOT);
        if (!wanted.equals("FAILED") && !wanted.equals("REPLAYED")) {
            return Mono.error(new AdminApiException(HttpStatus.BAD_REQUEST,
                    "query parameter status must be failed or replayed"));
        }
        int max;
        try {
            max = AdminQuery.limit("limit", limit, MAX_LIMIT);
        } catch (AdminApiException e) {
            return Mono.error(e);
        }
        return failures.list(wanted, max).map(DeliveryView::of).collectList();
    }

    /** The most deliveries one list shows. */
    static final int MAX_LIMIT = 1000;

    /** Sends the recorded request again (one attempt per call, so the operator sees the answer at once). */
    @PostMapping("/{id}/replay")
    public Mono<DeliveryView> replay(@PathVariable String id) {
        return find(id).flatMap(failure -> send(failure, asRecord(failure, failure.method(), failure.pathSuffix(),
                failure.query(), failure.body())));
    }

    /** Sends the receiver the object's current state from the hub's store, as a PUT. */
    @PostMapping("/{id}/resend-current")
    public Mono<DeliveryView> resendCurrent(@PathVariable String id) {
        return find(id).flatMap(failure -> current.of(failure)
                .switchIfEmpty(Mono.error(new AdminApiException(HttpStatus.CONFLICT,
                        "the hub's store has no current state of this object (deleted or never stored)")))
                .flatMap(state -> send(failure, asRecord(failure, "PUT", state.suffix(), failure.query(),
                        state.body()))));
    }

    private Mono<DeliveryView> send(DeliveryFailure failure, BroadcastRecord record) {
        Delivery delivery = new Delivery(record, failure.receiverPlatformId(), failure.receiver());
        return client.deliver(delivery, 1)
                .flatMap(result -> failures.replayed(failure.id(),
                        result.outcome() == DeliveryOutcome.DELIVERED ? "REPLAYED" : "FAILED",
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
}
