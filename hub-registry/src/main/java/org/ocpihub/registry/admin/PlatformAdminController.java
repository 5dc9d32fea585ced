package org.ocpihub.registry.admin;

import java.util.List;

import org.ocpihub.registry.audit.Actor;
import org.ocpihub.registry.http.HubPaths;
import org.ocpihub.registry.operator.CreatePlatformRequest;
import org.ocpihub.registry.operator.PlatformOperations;
import org.ocpihub.registry.operator.PlatformView;
import org.ocpihub.registry.operator.RegisterPlatformRequest;
import org.ocpihub.registry.operator.StillAliveResult;
import org.ocpihub.registry.platform.StatusChange;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import reactor.core.publisher.Mono;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * The operator's JSON API for member platforms: a thin wrapper of {@link PlatformOperations} (the rules, the audit
 * log), acting as {@link Actor#adminToken()}. Errors are {@code {"error": ...}} with the service's status.
 */
@RestController
@RequestMapping(HubPaths.ADMIN_API + "/platforms")
public class PlatformAdminController {

    /** Body of {@code PUT /admin/api/platforms/{id}/token-encoding}. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record TokenEncodingRequest(String tokenEncoding) {
    }

    private final PlatformOperations operations;

    public PlatformAdminController(PlatformOperations operations) {
        this.operations = operations;
    }

    /** Onboards a platform: 201 with token A and the hub's versions URL, shown this once. */
    @PostMapping
    public Mono<ResponseEntity<PlatformView>> create(@RequestBody CreatePlatformRequest request) {
        return operations.create(Actor.adminToken(), request)
                .map(view -> ResponseEntity.status(HttpStatus.CREATED).body(view));
    }

    /** Every platform. */
    @GetMapping
    public Mono<List<PlatformView>> list() {
        return operations.list();
    }

    /** One platform. */
    @GetMapping("/{id}")
    public Mono<PlatformView> get(@PathVariable String id) {
        return operations.get(id);
    }

    /** A fresh token A for (re-)onboarding; an unregistered platform goes back to PLANNED. */
    @PostMapping("/{id}/token-a")
    public Mono<PlatformView> newTokenA(@PathVariable String id) {
        return operations.newTokenA(Actor.adminToken(), id);
    }

    /** The hub initiates the credentials handshake with the platform: see {@link PlatformOperations#register}. */
    @PostMapping("/{id}/register")
    public Mono<PlatformView> register(@PathVariable String id, @RequestBody RegisterPlatformRequest request) {
        return operations.register(Actor.adminToken(), id, request);
    }

    /** Suspends the platform. */
    @PostMapping("/{id}/suspend")
    public Mono<PlatformView> suspend(@PathVariable String id) {
        return operations.suspend(Actor.adminToken(), id);
    }

    /** Ends a suspension. */
    @PostMapping("/{id}/reactivate")
    public Mono<PlatformView> reactivate(@PathVariable String id) {
        return operations.reactivate(Actor.adminToken(), id);
    }

    /** Deletes the platform: 204. */
    @DeleteMapping("/{id}")
    public Mono<ResponseEntity<Void>> delete(@PathVariable String id) {
        return operations.delete(Actor.adminToken(), id).thenReturn(ResponseEntity.noContent().build());
    }

    /** Changes the token encoding the hub uses toward the platform ({@code BASE64} or {@code RAW}). */
    @PutMapping("/{id}/token-encoding")
    public Mono<PlatformView> tokenEncoding(@PathVariable String id, @RequestBody TokenEncodingRequest request) {
        return operations.changeTokenEncoding(Actor.adminToken(), id, request.tokenEncoding());
    }

    /** Runs the still-alive check for the platform now. */
    @PostMapping("/{id}/still-alive")
    public Mono<StillAliveResult> stillAlive(@PathVariable String id) {
        return operations.stillAliveNow(Actor.adminToken(), id);
    }

    /** The platform's status changes, newest first (at most 50). */
    @GetMapping("/{id}/status-history")
    public Mono<List<StatusChange>> statusHistory(@PathVariable String id) {
        return operations.statusHistory(id);
    }
}
