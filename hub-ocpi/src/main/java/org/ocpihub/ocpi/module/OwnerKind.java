package org.ocpihub.ocpi.module;

/** What an owner index entry is about. */
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
