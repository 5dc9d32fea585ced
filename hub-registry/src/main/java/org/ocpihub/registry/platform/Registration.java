package org.ocpihub.registry.platform;

import java.util.List;
import java.util.UUID;

import org.ocpihub.ocpi.credentials.CredentialsRole;

/**
 * The outcome of a completed credentials handshake, to be stored at once: where the platform lives, what it offers,
 * which roles it claimed, the hash of the token it calls the hub with and the sealed token the hub calls it with.
 */
public record Registration(
        UUID platformId,
        String versionsUrl,
        String version,
        List<PlatformEndpoint> endpoints,
        List<CredentialsRole> claimedRoles,
        String hubTokenHash,
        String sealedPeerToken) {
}
