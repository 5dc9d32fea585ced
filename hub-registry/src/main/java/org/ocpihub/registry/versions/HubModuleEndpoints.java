package org.ocpihub.registry.versions;

import java.util.List;

import org.ocpihub.ocpi.version.Endpoint;

/** A contribution to the hub's 2.2.1 version details: each feature lists the endpoints it serves. */
@FunctionalInterface
public interface HubModuleEndpoints {

    /** The endpoints, their URLs starting with {@code versionBase} (e.g. https://hub.example.com/ocpi/2.2.1). */
    List<Endpoint> endpoints(String versionBase);
}
