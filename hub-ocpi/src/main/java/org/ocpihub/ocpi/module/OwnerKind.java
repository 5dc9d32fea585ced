package org.ocpihub.ocpi.module;

import java.util.Optional;

import org.ocpihub.ocpi.version.ModuleId;

/**
 * What an owner index entry is about (D6): the ids by which open routing finds a receiver without OCPI-to headers.
 * The module profiles say which of them each module learns from traffic ({@link ModuleProfile#learning()}) and looks
 * up ({@link ModuleProfile#openRouting()}).
 */
public enum OwnerKind {
    /** token uid → the eMSP owning it; Tokens are kept by the hub (broadcast, D8). */
    TOKEN(ModuleId.TOKENS),
    /** location id → the CPO owning it (unique only within a CPO); Locations are kept by the hub (D8). */
    LOCATION(ModuleId.LOCATIONS),
    /** session id → the CPO running it. */
    SESSION_CPO(null),
    /** session id → the eMSP whose token it runs on. */
    SESSION_EMSP(null),
    /** reservation id → the CPO holding it. */
    RESERVATION(null);

    private final ModuleId storedAs;

    OwnerKind(ModuleId storedAs) {
        this.storedAs = storedAs;
    }

    /**
     * The module whose broadcast objects the hub keeps (D8) are objects of this kind, with their owners: where open
     * routing looks when no owner index entry exists (issue 13 item 4). Empty for kinds the hub does not keep.
     */
    public Optional<ModuleId> storedAs() {
        return Optional.ofNullable(storedAs);
    }
}
