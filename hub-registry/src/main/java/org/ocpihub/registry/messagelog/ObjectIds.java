package org.ocpihub.registry.messagelog;

import java.util.List;

import org.ocpihub.ocpi.module.ModuleProfile;
import org.ocpihub.ocpi.module.ModuleRequest;
import org.ocpihub.ocpi.module.ObjectUrl;
import org.ocpihub.ocpi.module.OwnerHint;
import org.ocpihub.ocpi.version.InterfaceRole;
import org.ocpihub.ocpi.version.ModuleId;

import tools.jackson.databind.node.ObjectNode;

/**
 * The object a request is about, for the message log's {@code object_id}, read with the module's
 * {@link ModuleProfile} (no parsing of its own): on a Client Owned Object URL ({@link ObjectUrl}) the object's id (a
 * location id, also for a push of one of its EVSEs; a session, tariff or token id); otherwise the id the module's open
 * routing rule looks up (a location GET on the SENDER interface, a token's {@code authorize}, a session's charging
 * preferences, a command's location, session or reservation id).
 */
public final class ObjectIds {

    private ObjectIds() {
    }

    /**
     * @param segments the decoded path segments after {@code /<module>/<sender|receiver>}
     * @param body     the request body as the router parsed it, or null
     * @return the object id, or null when the request names none (a list GET, a CDR POST)
     */
    public static String of(ModuleId module, InterfaceRole role, String method, List<String> segments,
                            ObjectNode body) {
        if (module == null || role == null || segments == null) {
            return null;
        }
        try {
            ModuleProfile profile = ModuleProfile.of(module);
            if (profile == null || !profile.routed()) {
                return null;
            }
            if (profile.clientOwnedObjectUrl(role)) {
                return profile.clientOwnedObjects().flatMap(url -> url.parse(segments))
                        .map(ObjectUrl.ObjectPath::objectId).orElse(null);
            }
            OwnerHint hint = profile.openRouting().find(new ModuleRequest(role, method, segments, body));
            return hint instanceof OwnerHint.Indexed indexed ? indexed.id() : null;
        } catch (RuntimeException e) {
            return null; // the log never fails a request; an unreadable URL just names no object
        }
    }
}
