package org.ocpihub.broadcast.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.ocpihub.ocpi.CiString;
import org.ocpihub.ocpi.OcpiDateTime;
import org.ocpihub.ocpi.module.ObjectUrl;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * How a receiver applies a push to what it holds (D8), as a pure function over JSON trees: the hub's store applies
 * every broadcast this way.
 * <ul>
 *   <li>PUT of a whole object replaces it.</li>
 *   <li>PUT {@code /{location_id}/{evse_uid}} replaces (or adds) that EVSE inside the location;
 *       PUT {@code …/{evse_uid}/{connector_id}} replaces (or adds) that connector inside the EVSE. Which list holds a
 *       part and which field its id is the module profile's {@code ObjectUrl} ({@code evses} by {@code uid},
 *       {@code connectors} by {@code id}).</li>
 *   <li>PATCH merges the given fields into the object, EVSE or connector it addresses: each top-level field of the
 *       patch replaces the stored field whole (objects and lists included, as OCPI PATCH does: LOC 8.2.2.3 "not
 *       suitable to remove information", lists are sent whole); fields not in the patch are unchanged.</li>
 *   <li>When an EVSE is pushed (PUT or PATCH), the location's {@code last_updated} is set to the EVSE's new
 *       {@code last_updated}; when a connector is pushed, the EVSE's and the location's are (LOC 8.2.2.2, 8.2.2.3).
 *       A parent's {@code last_updated} never moves backwards: the field is "when this Location or one of its EVSEs
 *       or Connectors were last updated" (LOC 8.3.1), so a child carrying an older time leaves it. A child without
 *       a readable {@code last_updated} (which LOC forbids for PATCH) leaves its parents unchanged.</li>
 *   <li>The pushed object's own fields, {@code last_updated} included, are never changed.</li>
 *   <li>A PATCH (or an EVSE/connector PUT) for an object never seen is <b>stored as received</b>, not refused (the
 *       issue's choice: receivers decide what to make of it): a PATCH becomes the object as sent; an EVSE or connector
 *       becomes a location holding only it. Identity fields absent from the body ({@code country_code},
 *       {@code party_id}, {@code id}/{@code uid}, an EVSE's {@code uid}, a connector's {@code id}) are taken from
 *       the URL, so that GET All can tell each object's owner; nothing else is added.</li>
 * </ul>
 * Numbers keep their exact value and scale (BigDecimal, trailing zeros kept).
 */
public final class ReceiverMerge {

    static final String LAST_UPDATED = "last_updated";

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(JsonNodeFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    private ReceiverMerge() {
    }

    /** The JSON mapper the store reads and writes bodies with (exact numbers). */
    public static JsonMapper mapper() {
        return MAPPER;
    }

    /** Parses a pushed or stored body; throws {@link IllegalArgumentException} unless it is one JSON object. */
    public static ObjectNode parseObject(byte[] body) {
        if (body == null || body.length == 0) {
            throw new IllegalArgumentException("empty body");
        }
        try {
            JsonNode node = MAPPER.readTree(body);
            if (node instanceof ObjectNode object) {
                return object;
            }
            throw new IllegalArgumentException("body is not a JSON object");
        } catch (JacksonException e) {
            throw new IllegalArgumentException("body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    public static ObjectNode parseObject(String body) {
        return parseObject(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * The stored object after a PUT.
     *
     * @param stored the object as stored, or null when never seen (or deleted)
     * @param pushed the pushed Location, EVSE, Connector, Tariff or Token (not modified)
     */
    public static ObjectNode put(ObjectNode stored, PushTarget target, ObjectNode pushed) {
        List<String> ids = target.ids();
        if (ids.size() == 1) {
            return withIdentity(pushed.deepCopy(), target);
        }
        ObjectNode root = objectOrSkeleton(stored, target);
        List<ObjectNode> parents = parents(root, target);
        ObjectUrl.Level level = target.objectUrl().levels().get(ids.size() - 1);
        String id = ids.get(ids.size() - 1);
        ObjectNode part = pushed.deepCopy();
        putIfAbsent(part, level.idField(), id);
        replaceOrAdd(array(parents.get(parents.size() - 1), level.partsField()), level.idField(), id, part);
        bumpAll(parents, part.get(LAST_UPDATED));
        return root;
    }

    /**
     * The stored object after a PATCH.
     *
     * @param stored the object as stored, or null when never seen (or deleted): then the patch is stored as received
     * @param patch  the fields to change (not modified)
     */
    public static ObjectNode patch(ObjectNode stored, PushTarget target, ObjectNode patch) {
        List<String> ids = target.ids();
        if (ids.size() == 1) {
            return stored == null ? withIdentity(patch.deepCopy(), target) : merge(stored.deepCopy(), patch);
        }
        ObjectNode root = objectOrSkeleton(stored, target);
        List<ObjectNode> parents = parents(root, target);
        ObjectUrl.Level level = target.objectUrl().levels().get(ids.size() - 1);
        String id = ids.get(ids.size() - 1);
        ArrayNode siblings = array(parents.get(parents.size() - 1), level.partsField());
        ObjectNode part = find(siblings, level.idField(), id);
        if (part == null) {
            part = patch.deepCopy();
            putIfAbsent(part, level.idField(), id);
            siblings.add(part);
        } else {
            merge(part, patch);
        }
        bumpAll(parents, patch.get(LAST_UPDATED));
        return root;
    }

    /** An object's own {@code last_updated}, when it has a readable one. */
    public static Optional<Instant> lastUpdated(JsonNode object) {
        JsonNode value = object == null ? null : object.get(LAST_UPDATED);
        return value != null && value.isString() ? OcpiDateTime.tryParse(value.asString()) : Optional.empty();
    }

    /** OCPI PATCH: every field of the patch replaces the stored one whole. */
    static ObjectNode merge(ObjectNode target, ObjectNode patch) {
        for (Map.Entry<String, JsonNode> field : patch.properties()) {
            target.set(field.getKey(), field.getValue().deepCopy());
        }
        return target;
    }

    /** Sets a parent's last_updated to a child's new one, unless that would move it backwards. */
    static void bump(ObjectNode parent, JsonNode childLastUpdated) {
        if (childLastUpdated == null || !childLastUpdated.isString()) {
            return;
        }
        Optional<Instant> child = OcpiDateTime.tryParse(childLastUpdated.asString());
        if (child.isEmpty()) {
            return;
        }
        Optional<Instant> current = lastUpdated(parent);
        if (current.isEmpty() || !child.get().isBefore(current.get())) {
            parent.set(LAST_UPDATED, childLastUpdated.deepCopy()); // the value as the owner wrote it
        }
    }

    /** A pushed part's new last_updated moves every parent's, innermost first (LOC 8.2.2.2, 8.2.2.3). */
    private static void bumpAll(List<ObjectNode> parents, JsonNode childLastUpdated) {
        for (int i = parents.size() - 1; i >= 0; i--) {
            bump(parents.get(i), childLastUpdated);
        }
    }

    private static ObjectNode objectOrSkeleton(ObjectNode stored, PushTarget target) {
        if (stored != null) {
            return stored.deepCopy();
        }
        return withIdentity(MAPPER.createObjectNode(), target);
    }

    /**
     * The object and the parts of it that hold the pushed part (for a connector: the location and its EVSE),
     * outermost first; a part not there yet is added holding only its id.
     */
    private static List<ObjectNode> parents(ObjectNode root, PushTarget target) {
        List<String> ids = target.ids();
        List<ObjectUrl.Level> levels = target.objectUrl().levels();
        List<ObjectNode> parents = new ArrayList<>(ids.size() - 1);
        parents.add(root);
        for (int depth = 1; depth < ids.size() - 1; depth++) {
            parents.add(partOrSkeleton(parents.get(depth - 1), levels.get(depth), ids.get(depth)));
        }
        return parents;
    }

    private static ObjectNode partOrSkeleton(ObjectNode parent, ObjectUrl.Level level, String id) {
        ArrayNode siblings = array(parent, level.partsField());
        ObjectNode part = find(siblings, level.idField(), id);
        if (part == null) {
            part = MAPPER.createObjectNode();
            part.put(level.idField(), id);
            siblings.add(part);
        }
        return part;
    }

    /** The object's identity from the URL where the body lacks it (never overriding what the owner sent). */
    private static ObjectNode withIdentity(ObjectNode object, PushTarget target) {
        putIfAbsent(object, "country_code", target.owner().countryCode());
        putIfAbsent(object, "party_id", target.owner().partyId());
        putIfAbsent(object, target.idField(), target.objectId());
        return object;
    }

    private static void putIfAbsent(ObjectNode object, String field, String value) {
        if (!object.has(field) || object.get(field).isNull()) {
            object.put(field, value);
        }
    }

    /** The array field of an object, created (or a non-array replaced) when needed. */
    private static ArrayNode array(ObjectNode parent, String field) {
        JsonNode existing = parent.get(field);
        if (existing instanceof ArrayNode array) {
            return array;
        }
        return parent.putArray(field);
    }

    /** The element whose {@code idField} equals {@code id} (CiString: case-insensitive), or null. */
    private static ObjectNode find(ArrayNode array, String idField, String id) {
        for (JsonNode element : array) {
            if (element instanceof ObjectNode object && matches(object, idField, id)) {
                return object;
            }
        }
        return null;
    }

    private static void replaceOrAdd(ArrayNode array, String idField, String id, ObjectNode replacement) {
        for (int i = 0; i < array.size(); i++) {
            if (array.get(i) instanceof ObjectNode object && matches(object, idField, id)) {
                array.set(i, replacement);
                return;
            }
        }
        array.add(replacement);
    }

    private static boolean matches(ObjectNode object, String idField, String id) {
        JsonNode value = object.get(idField);
        return value != null && value.isValueNode() && CiString.same(value.asString(), id);
    }
}
