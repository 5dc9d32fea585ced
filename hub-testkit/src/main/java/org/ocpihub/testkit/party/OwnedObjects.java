package org.ocpihub.testkit.party;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The objects a platform owns and serves on a Sender interface (a CPO's Locations, Tariffs, Sessions, CDRs; an eMSP's
 * Tokens), oldest first (in the order first put), keyed by their id field ({@code id}, or {@code uid} for Tokens),
 * compared case-insensitively (CiString). Thread-safe; objects are copied in and out.
 */
public final class OwnedObjects {

    private final String idField;
    private final Map<String, ObjectNode> byId = new LinkedHashMap<>();

    OwnedObjects(String idField) {
        this.idField = idField;
    }

    /** The field that identifies an object: {@code id}, or {@code uid} for Tokens. */
    public String idField() {
        return idField;
    }

    /**
     * Adds an object, or replaces the one with the same id in place (it keeps its position in the list).
     *
     * @throws IllegalArgumentException when it is no JSON object with a string id field
     */
    public OwnedObjects put(JsonNode object) {
        Objects.requireNonNull(object, "object");
        String id = OcpiJson.text(object, idField);
        if (!object.isObject() || id == null) {
            throw new IllegalArgumentException("expected a JSON object with a string '" + idField + "': " + object);
        }
        ObjectNode copy = (ObjectNode) object.deepCopy();
        synchronized (this) {
            byId.put(key(id), copy);
        }
        return this;
    }

    /** Adds or replaces several objects, in order. */
    public OwnedObjects putAll(Iterable<? extends JsonNode> objects) {
        objects.forEach(this::put);
        return this;
    }

    /** A copy of the object with this id (case-insensitive). */
    public Optional<JsonNode> get(String id) {
        ObjectNode found;
        synchronized (this) {
            found = byId.get(key(id));
        }
        return Optional.ofNullable(found == null ? null : found.deepCopy());
    }

    /** Removes the object with this id; true when there was one. */
    public synchronized boolean remove(String id) {
        return byId.remove(key(id)) != null;
    }

    /** Copies of all objects, oldest first. */
    public List<JsonNode> all() {
        return snapshot().stream().map(JsonNode::deepCopy).toList();
    }

    public synchronized int size() {
        return byId.size();
    }

    public synchronized void clear() {
        byId.clear();
    }

    /** The stored objects themselves, oldest first: callers must not modify them. */
    synchronized List<JsonNode> snapshot() {
        return new ArrayList<>(byId.values());
    }

    /** The stored object itself, or null: callers must not modify it. */
    synchronized JsonNode find(String id) {
        return byId.get(key(id));
    }

    private static String key(String id) {
        return id.toUpperCase(Locale.ROOT);
    }
}
