package org.ocpihub.router.pipeline;

import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.registry.platform.PlatformEndpoint;
import org.ocpihub.registry.platform.RegistrySnapshot;
import org.ocpihub.registry.secret.Secret;

/** Where a request goes: the receiving party, its platform, the endpoint to call and the token to call it with. */
public record Receiver(PartyId party, RegistrySnapshot.Entry platform, PlatformEndpoint endpoint, Secret token) {

    public String platformName() {
        return platform.platform().name();
    }
}
