package org.ocpihub.broadcast.store;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.ocpihub.broadcast.log.BroadcastRecord;
import org.ocpihub.ocpi.CiString;
import org.ocpihub.ocpi.module.ModuleProfile;
import org.ocpihub.ocpi.module.ObjectUrl;
import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.ocpi.version.ModuleId;

/**
 * What one push is about, read from its URL suffix {@code /{cc}/{pid}/{id}[/{evse_uid}][/{connector_id}]}: the stored
 * object (module, owner, id) and, for locations, the EVSE and connector inside it. Ids are CiStrings (TYP 16.1), so
 * the stored key is the upper-case form ({@link #key()}); the values as received are kept for filling in identity
 * fields.
 *
 * @param module      locations, tariffs or tokens
 * @param owner       the data owner (the record's from-pair, equal to the URL's country_code/party_id)
 * @param objectId    location id, tariff id or token uid, as in the URL (decoded)
 * @param evseUid     the EVSE's uid, or null when the push is for the whole object
 * @param connectorId the connector's id, or null when the push is for the location or the EVSE
 */
public record PushTarget(ModuleId module, PartyId owner, String objectId, String evseUid, String connectorId) {

    /** The level inside a location a push addresses. */
    public enum Level { OBJECT, EVSE, CONNECTOR }

    /**
     * Reads a record's suffix, by the module's Client Owned Object URL ({@link ModuleProfile#clientOwnedObjects()});
     * throws {@link IllegalArgumentException} when it names no object of its module.
     */
    public static PushTarget of(BroadcastRecord record) {
        List<String> segments = segments(record.suffix());
        ObjectUrl url = ModuleProfile.of(record.module()).clientOwnedObjects().orElseThrow(() ->
                new IllegalArgumentException(record.module().id() + " has no Client Owned Objects to store"));
        if (url.parse(segments).isEmpty()) {
            throw new IllegalArgumentException(record.module().id() + " push with suffix '" + record.suffix()
                    + "' does not name one object (" + url.pattern() + ")");
        }
        return new PushTarget(record.module(), record.owner(), segments.get(2),
                segments.size() > 3 ? segments.get(3) : null, segments.size() > 4 ? segments.get(4) : null);
    }

    /** The stored object's key in {@code broadcast_object.object_id}: the id upper-case (CiString). */
    public String key() {
        return CiString.key(objectId);
    }

    public Level level() {
        return connectorId != null ? Level.CONNECTOR : evseUid != null ? Level.EVSE : Level.OBJECT;
    }

    /** The field that holds the object's own id, as the module's profile names it ({@code uid} for tokens). */
    public String idField() {
        return objectUrl().idField(0);
    }

    /** The module's Client Owned Object URL (its profile's): the id field and parts list of every level. */
    public ObjectUrl objectUrl() {
        return ModuleProfile.of(module).objectUrl();
    }

    /** The ids in the URL, outermost first: the object's, then (locations) the EVSE's and the connector's. */
    public List<String> ids() {
        List<String> ids = new ArrayList<>(3);
        ids.add(objectId);
        if (evseUid != null) {
            ids.add(evseUid);
            if (connectorId != null) {
                ids.add(connectorId);
            }
        }
        return ids;
    }

    private static List<String> segments(String suffix) {
        List<String> segments = new ArrayList<>();
        if (suffix == null || suffix.isEmpty()) {
            return segments;
        }
        String path = suffix.startsWith("/") ? suffix.substring(1) : suffix;
        for (String raw : path.split("/", -1)) {
            if (raw.isEmpty()) {
                throw new IllegalArgumentException("empty path segment in suffix '" + suffix + "'");
            }
            // as the router reads paths: '+' is a literal plus in a path segment
            segments.add(URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8));
        }
        return segments;
    }
}
