package org.ocpihub.ocpi;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Collects what is wrong with a received object, field by field, so the answer (status 2001) can name the field.
 * Paths are written as the JSON is ({@code roles[0].party_id}).
 */
public final class FieldCheck {

    private final String prefix;
    private final List<String> problems;

    private FieldCheck(String prefix, List<String> problems) {
        this.prefix = prefix;
        this.problems = problems;
    }

    public static FieldCheck of(String objectName) {
        return new FieldCheck(objectName == null || objectName.isEmpty() ? "" : objectName + ".", new ArrayList<>());
    }

    /** A check for a nested object whose problems land in this one. */
    public FieldCheck nested(String field) {
        return new FieldCheck(prefix + field + ".", problems);
    }

    public FieldCheck required(String field, Object value) {
        if (value == null || (value instanceof String s && s.isBlank())) {
            problems.add("missing required field: " + prefix + field);
        }
        return this;
    }

    public FieldCheck nonEmpty(String field, Collection<?> value) {
        if (value == null || value.isEmpty()) {
            problems.add("missing required field: " + prefix + field + " (needs at least one entry)");
        }
        return this;
    }

    public FieldCheck maxLength(String field, String value, int max) {
        if (value != null && value.length() > max) {
            problems.add("field " + prefix + field + " is longer than " + max + " characters");
        }
        return this;
    }

    /** OCPI CiString and token rule: printable ASCII without spaces. */
    public FieldCheck printableAscii(String field, String value) {
        if (value != null && !CiString.isPrintableAscii(value)) {
            problems.add("field " + prefix + field + " must be printable ASCII without whitespace");
        }
        return this;
    }

    public FieldCheck url(String field, String value) {
        if (value != null && !(value.startsWith("http://") || value.startsWith("https://"))) {
            problems.add("field " + prefix + field + " must be an http or https URL");
        }
        return maxLength(field, value, 255);
    }

    public FieldCheck fail(String field, String problem) {
        problems.add("field " + prefix + field + " " + problem);
        return this;
    }

    public List<String> problems() {
        return List.copyOf(problems);
    }

    public Optional<String> firstProblem() {
        return problems.stream().findFirst();
    }
}
