package org.ocpihub.registry.agreement;

import java.util.List;

import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * The policy as the admin API shows it ({@code GET /admin/api/agreements/policy}): the mode (set in configuration,
 * {@code hub.agreements.mode}) and the parties that opted in (they matter in {@code per-party} mode only).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record AgreementPolicyView(String mode, List<AgreementRequest.PartyRef> optedIn) {
}
