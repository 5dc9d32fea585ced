package org.ocpihub.ocpi.party;

import java.time.Instant;

import org.ocpihub.ocpi.OcpiDateTime;

import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonDeserialize;
import tools.jackson.databind.annotation.JsonNaming;
import tools.jackson.databind.annotation.JsonSerialize;

/** OCPI ClientInfo (HCI 15.4.1): one party's connection status as the hub announces it. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ClientInfo(
        String partyId,
        String countryCode,
        Role role,
        ConnectionStatus status,
        @JsonSerialize(using = OcpiDateTime.Serializer.class)
        @JsonDeserialize(using = OcpiDateTime.Deserializer.class)
        Instant lastUpdated) {

    public static ClientInfo of(PartyRole party, ConnectionStatus status, Instant lastUpdated) {
        return new ClientInfo(party.party().partyId(), party.party().countryCode(), party.role(), status, lastUpdated);
    }
}
