package org.ocpihub.ocpi.module;

/**
 * Whether a module's data is meant for every party, which decides what the hub does with a push addressed to itself
 * (TF 4.1.8.3 Broadcast Push, TF 4.1.8.5 GET All via hubs; D7, D8).
 */
public enum Sharing {
    /** Meant for all parties (Locations, Tariffs, Tokens): broadcast, kept, and listed by GET All via the hub. */
    ALL_PARTIES,
    /**
     * Specific to one party and possibly protected by law (Sessions, CDRs): a push to the hub is refused, never
     * broadcast (TF 4.1.8.3).
     */
    ONE_PARTY,
    /** Requests to one party, not shared data (Commands, ChargingProfiles), and the configuration modules. */
    NONE
}
