package org.ocpihub.router.relay;

import java.time.Instant;
import java.util.UUID;

import org.ocpihub.ocpi.module.RelayKind;
import org.ocpihub.ocpi.party.PartyId;

/**
 * A URL inside a member platform, handed out as a hub URL: calls from {@code caller} to the hub URL are forwarded to
 * {@code targetUrl} on the owner's platform, with the owner's token.
 */
public record Relay(String id, RelayKind kind, String targetUrl, UUID ownerPlatformId, PartyId owner, PartyId caller,
                    String command, Instant expiresAt) {
}
