package org.ocpihub.router.classify;

import java.util.Optional;

import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.ocpi.version.InterfaceRole;
import org.ocpihub.ocpi.version.ModuleId;
import org.springframework.http.HttpMethod;

/** What the classifier looks at: module, the hub interface called, method, list or object, and the to-pair. */
public record RouteRequest(ModuleId module, InterfaceRole interfaceRole, HttpMethod method, boolean collection,
                           Optional<PartyId> to) {
}
