package org.ocpihub.registry.agreement;

import java.util.List;

import org.ocpihub.registry.audit.Actor;
import org.ocpihub.registry.http.HubPaths;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import reactor.core.publisher.Mono;

/**
 * The operator's JSON API for roaming agreements (issue 13): a thin wrapper of {@link AgreementOperations}, acting as
 * {@link Actor#adminToken()}. Errors are {@code {"error": ...}} with the service's status (400 naming the field, 404).
 * <ul>
 *   <li>{@code GET /admin/api/agreements[?party=CC/PID]}: every agreement, or those naming the party;</li>
 *   <li>{@code POST /admin/api/agreements}: create ({@link AgreementRequest}), 201;</li>
 *   <li>{@code GET|DELETE /admin/api/agreements/{id}}: one, or delete it (204);</li>
 *   <li>{@code GET /admin/api/agreements/policy}: the mode and the opted-in parties;</li>
 *   <li>{@code PUT|DELETE /admin/api/agreements/opt-ins/{cc}/{pid}}: opt a party in or out ({@code per-party}).</li>
 * </ul>
 */
@RestController
@RequestMapping(HubPaths.ADMIN_API + "/agreements")
public class AgreementAdminController {

    private final AgreementOperations operations;

    public AgreementAdminController(AgreementOperations operations) {
        this.operations = operations;
    }

    @GetMapping
    public Mono<List<AgreementView>> list(@RequestParam(name = "party", required = false) String party) {
        return operations.list(party);
    }

    @PostMapping
    public Mono<ResponseEntity<AgreementView>> create(@RequestBody(required = false) AgreementRequest request) {
        return operations.create(Actor.adminToken(), request)
                .map(view -> ResponseEntity.status(HttpStatus.CREATED).body(view));
    }

    @GetMapping("/policy")
    public AgreementPolicyView policy() {
        return operations.policy();
    }

    @PutMapping("/opt-ins/{countryCode}/{partyId}")
    public Mono<AgreementPolicyView> optIn(@PathVariable String countryCode, @PathVariable String partyId) {
        return operations.optIn(Actor.adminToken(), countryCode, partyId);
    }

    @DeleteMapping("/opt-ins/{countryCode}/{partyId}")
    public Mono<AgreementPolicyView> optOut(@PathVariable String countryCode, @PathVariable String partyId) {
        return operations.optOut(Actor.adminToken(), countryCode, partyId);
    }

    @GetMapping("/{id}")
    public Mono<AgreementView> get(@PathVariable String id) {
        return operations.get(id);
    }

    @DeleteMapping("/{id}")
    public Mono<ResponseEntity<Void>> delete(@PathVariable String id) {
        return operations.delete(Actor.adminToken(), id).thenReturn(ResponseEntity.noContent().build());
    }
}
