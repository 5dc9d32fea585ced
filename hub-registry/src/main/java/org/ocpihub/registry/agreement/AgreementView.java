package org.ocpihub.registry.agreement;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.ocpihub.ocpi.OcpiDateTime;
import org.ocpihub.ocpi.version.ModuleId;

import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * An agreement as the admin API shows it: the pair (in its stored order), module ids sorted, the window as OCPI
 * DateTime text (null: no bound), and whether it is in force now ({@code active}).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record AgreementView(UUID id, AgreementRequest.PartyRef partyA, AgreementRequest.PartyRef partyB,
                            List<String> modules, String validFrom, String validUntil, boolean active,
                            String createdAt, String createdBy) {

    /** The view of {@code a} as of {@code now}. */
    public static AgreementView of(Agreement a, Instant now) {
        return new AgreementView(a.id(),
                new AgreementRequest.PartyRef(a.pair().first().countryCode(), a.pair().first().partyId()),
                new AgreementRequest.PartyRef(a.pair().second().countryCode(), a.pair().second().partyId()),
                a.modules().stream().map(ModuleId::id).sorted().toList(),
                a.validFrom() == null ? null : OcpiDateTime.format(a.validFrom()),
                a.validUntil() == null ? null : OcpiDateTime.format(a.validUntil()),
                a.inWindow(now), OcpiDateTime.format(a.createdAt()), a.createdBy());
    }
}
