package org.ocpihub.registry.audit;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.ocpihub.ocpi.OcpiDateTime;

import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;
import tools.jackson.databind.annotation.JsonSerialize;

/**
 * One operator action as the audit log keeps it (table {@code audit_log}).
 *
 * @param id           the entry's id
 * @param at           when the action ended (UTC)
 * @param actor        who ({@link Actor#name()})
 * @param via          the way in ({@link Actor#via()})
 * @param action       what, as {@code <subject>.<verb>}, e.g. {@code platform.suspend}, {@code delivery.replay}
 * @param platformId   the platform acted on, or null (none, or an id that named no platform)
 * @param platformName its name at the time, or null
 * @param outcome      {@link AuditLog#OK} or {@link AuditLog#FAILED}
 * @param detail       what happened in operator words (on failure: the message the operator got); never a token
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record AuditEntry(UUID id,
                         @JsonSerialize(using = OcpiDateTime.Serializer.class) Instant at,
                         String actor, String via, String action, UUID platformId, String platformName,
                         String outcome, String detail) {
}
