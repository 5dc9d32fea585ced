package org.ocpihub.ocpi.module;

/**
 * What an owner index entry is about (D6): the ids by which open routing finds a receiver without OCPI-to headers.
 * The module profiles say which of them each module learns from traffic ({@link ModuleProfile#learning()}) and looks
 * up ({@link ModuleProfile#openRouting()}).
 */
public enum OwnerKind {
    /** token uid → the eMSP owning it. */
    TOKEN,
    /** location id → the CPO owning it (unique only within a CPO). */
    LOCATION,
    /** session id → the CPO running it. */
    SESSION_CPO,
    /** session id → the eMSP whose token it runs on. */
    SESSION_EMSP,
    /** reservation id → the CPO holding it. */
    RESERVATION
}
