package org.ocpihub.broadcast.store;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.ocpihub.ocpi.OcpiDateTime;
import org.ocpihub.registry.http.AdminApiException;
import org.ocpihub.registry.http.AdminQuery;
import org.ocpihub.registry.http.HubPaths;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import reactor.core.publisher.Mono;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;
import tools.jackson.databind.annotation.JsonSerialize;

/**
 * The operator's view of accepted broadcasts the hub's store could not hold (issue 7.5): {@code GET
 * /admin/api/store-failures?limit=100}, newest first. Such a broadcast was skipped: not stored, not fanned out.
 */
@RestController
@RequestMapping(HubPaths.ADMIN_API + "/store-failures")
public class StoreFailureAdminController {

    /** A store failure as the admin API shows it (snake_case, OCPI timestamps). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record StoreFailureView(UUID id, String broadcastId, String correlationId, String module, String method,
                                   String owner, String path, int attempts, String sqlState, String lastError,
                                   @JsonSerialize(using = OcpiDateTime.Serializer.class) Instant createdAt) {
    }

    private final StoreFailures failures;

    public StoreFailureAdminController(StoreFailures failures) {
        this.failures = failures;
    }

    /**
     * The newest store failures.
     *
     * @param limit how many at most: a whole number of at least 1 (default 100), cut at 1000; anything else is 400
     *              naming {@code limit} ({@link AdminQuery#limit})
     */
    @GetMapping
    public Mono<List<StoreFailureView>> list(@RequestParam(defaultValue = "100") String limit) {
        int max;
        try {
            max = AdminQuery.limit("limit", limit, 1000);
        } catch (AdminApiException e) {
            return Mono.error(e);
        }
        return failures.list(max)
                .map(f -> new StoreFailureView(f.id(), f.broadcastId(), f.correlationId(), f.module(), f.method(),
                        f.owner(), f.path(), f.attempts(), f.sqlState(), f.lastError(), f.createdAt()))
                .collectList();
    }
}
