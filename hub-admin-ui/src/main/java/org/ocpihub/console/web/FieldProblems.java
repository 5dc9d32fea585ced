package org.ocpihub.console.web;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntUnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Places an operator message of the services (e.g. "missing required field: roles[1].party_id", "field versions_url
 * must be an http or https URL", "query parameter from ...") next to the form field it names. The services own the
 * rules and the words; this only reads which field the message names, so a page can show it beside that field.
 */
final class FieldProblems {

    /** The field a message names: {@code roles[i].x.y}, {@code roles[i]}, or a plain snake_case name. */
    private static final Pattern ROLE_FIELD = Pattern.compile("roles\\[(\\d+)](?:\\.([a-z_]+(?:\\.[a-z_]+)?))?");
    private static final Pattern PLAIN_FIELD = Pattern.compile("(?:field|missing required field:|query parameter)"
            + " ([a-z_]+)\\b");

    /** A message that starts with the field it names: {@code valid_until: must be after valid_from (...)}. */
    private static final Pattern LEADING_FIELD = Pattern.compile("^([a-z_]+)(?:\\[\\d+])?(?:\\.[a-z_]+)?:");

    private FieldProblems() {
    }

    /**
     * The form key of the field {@code message} names, or null when it names none. Role fields come back as
     * {@code roles[<form row>].<field>} (e.g. {@code roles[2].country_code}, {@code roles[0]} for the whole row) with
     * the request's index turned into the form's row by {@code row}; {@code roles} alone for the list.
     */
    static String fieldOf(String message, IntUnaryOperator row) {
        if (message == null) {
            return null;
        }
        Matcher m = ROLE_FIELD.matcher(message);
        if (m.find()) {
            String key = "roles[" + row.applyAsInt(Integer.parseInt(m.group(1))) + "]";
            String field = m.group(2);
            if (field == null) {
                return key;
            }
            // business_details.name / .website are the row's business fields; anything deeper goes on the row
            return switch (field) {
                case "business_details.name" -> key + ".business_name";
                case "business_details.website" -> key + ".website";
                case "role", "country_code", "party_id" -> key + "." + field;
                default -> key;
            };
        }
        Matcher p = PLAIN_FIELD.matcher(message);
        return p.find() ? p.group(1) : null;
    }

    /** A map of one entry, {@code field → message}, or empty when the message names no field. */
    static Map<String, String> of(String message, IntUnaryOperator row) {
        Map<String, String> out = new LinkedHashMap<>();
        String field = fieldOf(message, row);
        if (field != null) {
            out.put(field, message);
        }
        return out;
    }

    /**
     * A map of one entry, {@code field → message}, for a message that starts with the field it names (the agreement
     * service's style: {@code party_b: ...}, {@code modules[1]: ...} as {@code modules}, {@code party_a.party_id: ...}
     * as {@code party_a}); empty when it names none.
     */
    static Map<String, String> leading(String message) {
        Map<String, String> out = new LinkedHashMap<>();
        if (message != null) {
            Matcher m = LEADING_FIELD.matcher(message);
            if (m.find()) {
                out.put(m.group(1), message);
            }
        }
        return out;
    }
}
