package org.ocpihub.ocpi.version;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Version details (VER 6.2): the endpoints a platform offers for one version. */
public record VersionDetails(String version, List<Endpoint> endpoints) {

    public VersionDetails {
        // null entries are kept (and skipped by readers): List.copyOf would refuse a whole answer for one of them
        endpoints = endpoints == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(endpoints));
    }
}
