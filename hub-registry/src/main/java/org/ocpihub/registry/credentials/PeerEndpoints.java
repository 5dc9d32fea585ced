package org.ocpihub.registry.credentials;

import java.util.List;

import org.ocpihub.registry.platform.PlatformEndpoint;

/** What the hub learned from a platform's versions and version details. */
public record PeerEndpoints(String versionsUrl, String version, List<PlatformEndpoint> endpoints) {
}
