package org.ocpihub.testkit.party;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Objects a platform received on one of its Receiver interfaces, keyed by the URL path after the interface's own path,
 * e.g. {@code NL/CPX/LOC1} or {@code NL/CPX/LOC1/EVSE1/1} (Locations), {@code DE/EMX/012345678} (Tokens, with
 * {@code ?type=APP_USER} appended when a type other than RFID was given), {@code NL/CPX} (ClientInfo), a generated id
 * (CDRs) or a session id (ActiveChargingProfiles). Keys compare case-insensitively (CiString). Thread-safe; objects
 * are copied out.
 */
public final class ReceivedObjects {

    private final String module;
    private final Map<String, ObjectNode> byKey = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    ReceivedObjects(String module) {
        this.module = module;
    }

    /** The module whose Receiver stores these, e.g. {@code locations}. */
    public String module() {
        return module;
    }

    /** A copy of the object stored under this key. */
    public Optional<JsonNode> get(String key) {
        ObjectNode found;
        synchronized (this) {
            found = byKey.get(key);
        }
        return Optional.ofNullable(found == null ? null : found.deepCopy());
    }

    /** Copies of all objects by key, in key order. */
    public synchronized Map<String, JsonNode> all() {
        Map<String, JsonNode> copy = new LinkedHashMap<>();
        byKey.forEach((key, value) -> copy.put(key, value.deepCopy()));
        return Collections.unmodifiableMap(copy);
    }

    public synchronized int size() {
        return byKey.size();
    }

    public synchronized void clear() {
        byKey.clear();
    }

    /** Stores a copy of an object (PUT, POST); true when it replaced one. */
    synchronized boolean put(String key, JsonNode object) {
        return byKey.put(key, (ObjectNode) object.deepCopy()) != null;
    }

    /**
     * Merges a PATCH into the stored object: top-level fields replace the stored ones, except that the arrays named in
     * {@code appendedArrays} are appended to (Sessions' {@code charging_periods}, SES 9.2.2). Returns false when
     * nothing is stored under the key.
     */
    synchronized boolean merge(String key, JsonNode patch, Set<String> appendedArrays) {
        ObjectNode stored = byKey.get(key);
        if (stored == null) {
            return false;
        }
        for (Map.Entry<String, JsonNode> field : patch.properties()) {
            JsonNode existing = stored.get(field.getKey());
            if (appendedArrays.contains(field.getKey()) && existing != null && existing.isArray()
                    && field.getValue().isArray()) {
                ((ArrayNode) existing).addAll((ArrayNode) field.getValue().deepCopy());
            } else {
                stored.set(field.getKey(), field.getValue().deepCopy());
            }
        }
        return true;
    }

    synchronized boolean remove(String key) {
        return byKey.remove(key) != null;
    }
}
