package org.ocpihub.registry.credentials;

import java.util.List;

import org.ocpihub.ocpi.credentials.Credentials;
import org.ocpihub.ocpi.credentials.CredentialsRole;
import org.ocpihub.ocpi.party.BusinessDetails;
import org.ocpihub.ocpi.party.Role;
import org.ocpihub.registry.config.HubProperties;
import org.ocpihub.registry.http.HubPaths;
import org.springframework.stereotype.Component;

/** The hub's own Credentials: its versions URL and exactly one role, HUB (CRED 7.3.1, D1). */
@Component
public class HubCredentials {

    private final HubProperties properties;

    public HubCredentials(HubProperties properties) {
        this.properties = properties;
    }

    public String versionsUrl() {
        return properties.publicBase() + HubPaths.VERSIONS;
    }

    public Credentials withToken(String token) {
        HubProperties.Identity id = properties.identity();
        return new Credentials(token, versionsUrl(), List.of(new CredentialsRole(Role.HUB,
                new BusinessDetails(id.name(), id.website(), null), id.partyId(), id.countryCode())));
    }
}
