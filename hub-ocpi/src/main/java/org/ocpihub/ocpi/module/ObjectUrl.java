package org.ocpihub.ocpi.module;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The Client Owned Object URL of a module's RECEIVER interface (TF 4.1.5):
 * {@code {country_code}/{party_id}/{object id}}, optionally followed by the ids of parts inside the object (a
 * location's {@code /{evse_uid}[/{connector_id}]}, LOC 8.2.2). Each level names its path parameter, the body field
 * that repeats its id and, for a part, the list of its parent that holds it (a location's {@code evses}, an EVSE's
 * {@code connectors}).
 *
 * @param levels the object and the parts inside it, outermost first; at least one
 */
public record ObjectUrl(List<Level> levels) {

    /**
     * One id in the URL.
     *
     * @param pathParameter the spec's name for the segment, e.g. {@code location_id}, {@code evse_uid}
     * @param idField       the field of the pushed object (or part) that holds the same id, e.g. {@code id},
     *                      {@code uid}
     * @param partsField    for a part, the list field of its parent holding it (e.g. {@code evses}); null for the
     *                      object itself
     */
    public record Level(String pathParameter, String idField, String partsField) {
    }

    /** Where an object URL points: owner and ids as decoded from the path. */
    public record ObjectPath(String countryCode, String partyId, List<String> ids) {

        public ObjectPath {
            ids = List.copyOf(ids);
        }

        /** 0 for the object itself, 1 for a part inside it (an EVSE), 2 for a part of a part (a connector). */
        public int depth() {
            return ids.size() - 1;
        }

        /** The id of the object itself (location id, session id, tariff id, token uid). */
        public String objectId() {
            return ids.get(0);
        }
    }

    public ObjectUrl {
        levels = List.copyOf(levels);
        if (levels.isEmpty()) {
            throw new IllegalArgumentException("an object URL names at least the object");
        }
    }

    /** A URL naming one object whose id sits in {@code idField}, e.g. {@code of("tariff_id", "id")}. */
    public static ObjectUrl of(String pathParameter, String idField) {
        return new ObjectUrl(List.of(new Level(pathParameter, idField, null)));
    }

    /**
     * The same URL with one more optional level: a part inside the innermost one, listed in its {@code partsField}.
     */
    public ObjectUrl with(String pathParameter, String idField, String partsField) {
        List<Level> more = new java.util.ArrayList<>(levels);
        more.add(new Level(pathParameter, idField, partsField));
        return new ObjectUrl(more);
    }

    /** The most path segments an object URL of this module has (owner pair plus every level). */
    public int maxSegments() {
        return 2 + levels.size();
    }

    /** The body field holding the id at {@code depth} (0 = the object), or null when the URL has no such level. */
    public String idField(int depth) {
        return depth >= 0 && depth < levels.size() ? levels.get(depth).idField() : null;
    }

    /**
     * The URL's shape as the spec writes it, e.g.
     * {@code {country_code}/{party_id}/{location_id}[/{evse_uid}[/{connector_id}]]}.
     */
    public String pattern() {
        String optional = levels.subList(1, levels.size()).stream().map(l -> "[/{" + l.pathParameter() + "}")
                .collect(Collectors.joining()) + "]".repeat(levels.size() - 1);
        return "{country_code}/{party_id}/{" + levels.get(0).pathParameter() + "}" + optional;
    }

    /**
     * Reads decoded path segments; empty unless they are an owner pair and one to {@link #levels()} ids. The owner
     * pair is returned as written (not checked as a CiString here: the sender check does that, naming it).
     */
    public Optional<ObjectPath> parse(List<String> segments) {
        if (segments.size() < 3 || segments.size() > maxSegments()) {
            return Optional.empty();
        }
        return Optional.of(new ObjectPath(segments.get(0), segments.get(1), segments.subList(2, segments.size())));
    }
}
