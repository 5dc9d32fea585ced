package org.ocpihub.broadcast.accept;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;

import tools.jackson.databind.JsonNode;

/**
 * What the hub's store (PostgreSQL JSONB, D8) cannot hold, found before a broadcast is accepted, so that no accepted
 * record can fail in the store for ever (issue 7.5). Limits:
 * <ul>
 *   <li>numbers: JSONB keeps them as {@code numeric}, at most {@value #MAX_INTEGER_DIGITS} digits before the
 *       decimal point and {@value #MAX_FRACTION_DIGITS} after (so {@code 1e999999999} is refused);</li>
 *   <li>strings and keys: no NUL character ({@code \u0000}, which JSONB refuses) and no unpaired UTF-16 surrogate
 *       ({@code \ud800} alone; invalid UTF-8 bytes are already not JSON);</li>
 *   <li>nesting: at most {@value #MAX_DEPTH} levels (OCPI objects nest about six deep).</li>
 * </ul>
 */
public final class StorableJson {

    /** PostgreSQL numeric: up to 131072 digits before the decimal point. */
    public static final int MAX_INTEGER_DIGITS = 131072;
    /** PostgreSQL numeric: up to 16383 digits after the decimal point. */
    public static final int MAX_FRACTION_DIGITS = 16383;
    /** Nesting the hub keeps; deeper is no OCPI object. */
    public static final int MAX_DEPTH = 32;

    private StorableJson() {
    }

    /**
     * The first problem, naming the field by its JSON path (e.g. {@code evses[0].connectors[0].max_voltage}), or
     * empty when the store can hold the object.
     */
    public static Optional<String> problem(JsonNode root) {
        return walk(root, "", 0);
    }

    private static Optional<String> walk(JsonNode node, String path, int depth) {
        String name = path.isEmpty() ? "body" : "field " + path;
        if (depth > MAX_DEPTH) {
            return Optional.of(name + " nests deeper than " + MAX_DEPTH + " levels");
        }
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                String child = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
                Optional<String> key = text(field.getKey(), "field name " + printable(child));
                if (key.isPresent()) {
                    return key;
                }
                Optional<String> problem = walk(field.getValue(), child, depth + 1);
                if (problem.isPresent()) {
                    return problem;
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                Optional<String> problem = walk(node.get(i), path + "[" + i + "]", depth + 1);
                if (problem.isPresent()) {
                    return problem;
                }
            }
        } else if (node.isString()) {
            return text(node.asString(), name);
        } else if (node.isNumber()) {
            return number(node.decimalValue(), name);
        }
        return Optional.empty();
    }

    private static Optional<String> number(BigDecimal value, String name) {
        long integerDigits = (long) value.precision() - value.scale();
        if (integerDigits > MAX_INTEGER_DIGITS) {
            return Optional.of(name + " is a number too large for the hub to store (more than " + MAX_INTEGER_DIGITS
                    + " digits before the decimal point)");
        }
        if (value.scale() > MAX_FRACTION_DIGITS) {
            return Optional.of(name + " is a number with more than " + MAX_FRACTION_DIGITS
                    + " digits after the decimal point, which the hub cannot store");
        }
        return Optional.empty();
    }

    private static Optional<String> text(String value, String name) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == 0) {
                return Optional.of(name + " contains a NUL character (\\u0000), which the hub cannot store");
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return Optional.of(name + " contains an unpaired UTF-16 surrogate, which is no Unicode text");
            }
            if (Character.isLowSurrogate(c)) {
                return Optional.of(name + " contains an unpaired UTF-16 surrogate, which is no Unicode text");
            }
        }
        return Optional.empty();
    }

    private static String printable(String path) {
        StringBuilder out = new StringBuilder();
        path.codePoints().forEach(c -> out.appendCodePoint(c == 0 || Character.isISOControl(c)
                || (c >= 0xD800 && c <= 0xDFFF) ? '?' : c));
        return out.toString();
    }
}
