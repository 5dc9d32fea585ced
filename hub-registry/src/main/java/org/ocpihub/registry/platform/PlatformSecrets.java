package org.ocpihub.registry.platform;

/**
 * What the registry stores about a platform's tokens: hashes of those the hub issued (token A, and the token the
 * platform calls the hub with), and the sealed token the hub calls the platform with.
 */
public record PlatformSecrets(String tokenAHash, String hubTokenHash, String sealedPeerToken) {
}
