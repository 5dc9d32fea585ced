package org.ocpihub.broadcast.delivery;

import java.util.UUID;

import org.ocpihub.broadcast.log.BroadcastRecord;
import org.ocpihub.ocpi.party.PartyId;

/** One copy of a broadcast for one receiving party on one platform. */
public record Delivery(BroadcastRecord record, UUID receiverPlatformId, PartyId receiver) {
}
