package org.ocpihub.broadcast.delivery;

import java.util.List;

import org.ocpihub.registry.audit.Actor;
import org.ocpihub.registry.http.AdminApiException;
import org.ocpihub.registry.http.HubPaths;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import reactor.core.publisher.Mono;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * The operator's JSON API for failed broadcast deliveries (D7): a thin wrapper of {@link DeliveryOperations},
 * acting as {@link Actor#adminToken()}.
 */
@RestController
@RequestMapping(HubPaths.ADMIN_API + "/deliveries")
public class DeliveryAdminController {

    /** Header of the list answer: how many deliveries match the filter (all pages). */
    public static final String TOTAL_COUNT = "X-Total-Count";

    /**
     * Body of the bulk replay: the filter, each field optional, written as the list's query parameters.
     *
     * @param receiver a platform id
     * @param module   an OCPI module id
     * @param from     RFC 3339 time: failed at or after
     * @param to       RFC 3339 time: failed before
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record BulkReplayRequest(String receiver, String module, String from, String to) {
    }

    private final DeliveryOperations operations;

    public DeliveryAdminController(DeliveryOperations operations) {
        this.operations = operations;
    }

    /**
     * The newest failed (or replayed) deliveries matching the filter, a JSON list; the header
     * {@value #TOTAL_COUNT} says how many match in all.
     *
     * @param receiver only to this platform (id)
     * @param module   only this OCPI module
     * @param from     only failed at or after (RFC 3339)
     * @param to       only failed before (RFC 3339)
     * @param status   {@code failed} (default) or {@code replayed}
     * @param offset   rows to skip (default 0)
     * @param limit    how many at most: a whole number of at least 1 (default 100); above 200 the list is cut at
     *                 200. Anything that cannot be read is 400 naming the parameter.
     */
    @GetMapping
    public Mono<ResponseEntity<List<DeliveryView>>> list(@RequestParam(required = false) String receiver,
                                                         @RequestParam(required = false) String module,
                                                         @RequestParam(required = false) String from,
                                                         @RequestParam(required = false) String to,
                                                         @RequestParam(defaultValue = "failed") String status,
                                                         @RequestParam(required = false) String offset,
                                                         @RequestParam(defaultValue = "100") String limit) {
        DeliveryFilter filter;
        try {
            filter = DeliveryFilter.parse(receiver, module, from, to, status, offset, limit);
        } catch (AdminApiException e) {
            return Mono.error(e);
        }
        return operations.list(filter).map(page -> ResponseEntity.ok()
                .header(TOTAL_COUNT, String.valueOf(page.total())).body(page.items()));
    }

    /** Replays every failed delivery the filter in the body matches; answers the counts. */
    @PostMapping("/replay")
    public Mono<BulkReplayResult> replayAll(@RequestBody BulkReplayRequest request) {
        DeliveryFilter filter;
        try {
            filter = DeliveryFilter.parse(request.receiver(), request.module(), request.from(), request.to(), null,
                    null, null);
        } catch (AdminApiException e) {
            return Mono.error(e);
        }
        return operations.replayAll(Actor.adminToken(), filter);
    }

    /** Sends the recorded request again (one attempt per call, so the operator sees the answer at once). */
    @PostMapping("/{id}/replay")
    public Mono<DeliveryView> replay(@PathVariable String id) {
        return operations.replay(Actor.adminToken(), id);
    }

    /** Sends the receiver the object's current state from the hub's store, as a PUT. */
    @PostMapping("/{id}/resend-current")
    public Mono<DeliveryView> resendCurrent(@PathVariable String id) {
        return operations.resendCurrent(Actor.adminToken(), id);
    }
}
