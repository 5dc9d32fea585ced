package org.ocpihub.registry.agreement;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;

import org.ocpihub.ocpi.version.ModuleId;

/**
 * A roaming agreement between two parties for a set of functional modules, with an optional validity window (issue
 * 13). {@code validFrom} is inclusive, {@code validUntil} exclusive; null means no bound.
 *
 * @param modules functional OCPI modules only ({@link #AGREEABLE}); never empty
 */
public record Agreement(UUID id, AgreementPair pair, Set<ModuleId> modules, Instant validFrom, Instant validUntil,
                        Instant createdAt, String createdBy) {

    /** The modules an agreement can name: every functional module ({@code "all"} means these). */
    public static final Set<ModuleId> AGREEABLE = Set.copyOf(EnumSet.of(ModuleId.CDRS, ModuleId.CHARGING_PROFILES,
            ModuleId.COMMANDS, ModuleId.LOCATIONS, ModuleId.SESSIONS, ModuleId.TARIFFS, ModuleId.TOKENS));

    public Agreement {
        modules = Set.copyOf(modules);
    }

    /** True when the agreement names {@code module} and {@code at} is inside its window. */
    public boolean covers(ModuleId module, Instant at) {
        return modules.contains(module) && inWindow(at);
    }

    /** True when {@code at} is inside the window. */
    public boolean inWindow(Instant at) {
        return (validFrom == null || !at.isBefore(validFrom)) && (validUntil == null || at.isBefore(validUntil));
    }
}
