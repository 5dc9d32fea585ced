package org.ocpihub.ocpi.module;

/** What a relayed URL is (D5). */
public enum RelayKind {
    /** A Commands response_url: the CPO POSTs the CommandResult there. */
    COMMAND,
    /** A ChargingProfiles response_url: the CPO POSTs the result there. */
    CHARGING_PROFILE,
    /** A CDR Location header: the CPO GETs the CDR from the eMSP there. */
    CDR_LOCATION,
    /** A pagination Link the hub could not map onto an endpoint. */
    PAGE
}
