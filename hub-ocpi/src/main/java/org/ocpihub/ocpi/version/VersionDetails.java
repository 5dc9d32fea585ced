package org.ocpihub.ocpi.version;

import java.util.List;

/** Version details (VER 6.2): the endpoints a platform offers for one version. */
public record VersionDetails(String version, List<Endpoint> endpoints) {

    public VersionDetails {
        endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
    }
}
