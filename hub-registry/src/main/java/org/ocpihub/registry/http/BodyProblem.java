package org.ocpihub.registry.http;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.ocpihub.ocpi.StrictJson;
import org.springframework.core.io.buffer.DataBufferLimitException;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonToken;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.InvalidNullException;
import tools.jackson.databind.exc.MismatchedInputException;

/**
 * What is wrong with a request body that could not be bound, in words a client can act on: not JSON at all, too
 * large, or JSON with a field of the wrong JSON type or a repeated key (named by its JSON path). Messages never carry
 * a Java type name or Jackson's wording: they speak of JSON strings, numbers, objects and arrays.
 *
 * @param kind    the way the body failed
 * @param message the client-facing message, naming the field when there is one
 */
public record BodyProblem(Kind kind, String message) {

    /**
     * The ways a body fails to be read. {@code INVALID_FIELD} is well-formed JSON with a wrong value or a repeated
     * key (a content error: HTTP 200 + 2001 on OCPI paths, SC 5); {@code MALFORMED} is not JSON (400).
     */
    public enum Kind { MALFORMED, TOO_LARGE, INVALID_FIELD }

    /** A fully qualified Java type name (lower-case package segments, then the class), capturing the class. */
    private static final String QUALIFIED_TYPE = "\\b(?:[a-z_][a-z0-9_]*\\.)+([A-Z][\\w$]*)";

    /** The problem behind {@code error} (a codec failure, possibly wrapped by Spring). */
    public static BodyProblem of(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof DataBufferLimitException) {
                return new BodyProblem(Kind.TOO_LARGE, "request body is larger than the hub accepts");
            }
            if (t instanceof JacksonException jackson) {
                Optional<String> repeated = StrictJson.repeatedKey(jackson);
                if (repeated.isPresent()) {
                    return new BodyProblem(Kind.INVALID_FIELD, "field " + repeated.get()
                            + " appears more than once in the body (each key must be unique)");
                }
                if (t instanceof StreamReadException) {
                    return new BodyProblem(Kind.MALFORMED, "request body is not valid JSON");
                }
                String original = jackson.getOriginalMessage();
                if (original != null && original.startsWith("Trailing token")) {
                    return new BodyProblem(Kind.MALFORMED, "request body is not valid JSON: it holds more than one"
                            + " JSON value");
                }
                return new BodyProblem(Kind.INVALID_FIELD, invalidField(jackson));
            }
        }
        return new BodyProblem(Kind.MALFORMED, "request body is missing or unreadable");
    }

    private static String invalidField(JacksonException e) {
        String path = jsonPath(e.getPath());
        boolean root = e.getPath().isEmpty();
        if (e instanceof InvalidNullException) {
            return "field " + path + " must not be null";
        }
        if (e instanceof InvalidFormatException format && format.getTargetType() != null
                && format.getTargetType().isEnum()) {
            return "field " + path + " must be one of " + enumValues(format) + ", was " + shown(format.getValue());
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            String expected = expected(mismatch.getTargetType());
            String was = was(mismatch);
            if (root) {
                return "request body must be " + expected + (was == null ? "" : ", was " + was);
            }
            return "field " + path + " must be " + expected + (was == null ? "" : ", was " + was);
        }
        return (root ? "request body" : "field " + path) + " has an invalid value: " + firstLine(e.getOriginalMessage());
    }

    /** The JSON type a Java type is bound from, in JSON words. */
    static String expected(Class<?> type) {
        if (CharSequence.class.isAssignableFrom(type) || type == char.class || type == Character.class) {
            return "a JSON string";
        }
        if (type.isEnum()) {
            return "one of " + Arrays.stream(type.getEnumConstants()).map(Object::toString)
                    .collect(Collectors.joining(", "));
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == int.class || type == long.class || type == short.class || type == byte.class
                || type == Integer.class || type == Long.class || type == Short.class || type == Byte.class
                || type == java.math.BigInteger.class) {
            return "an integer";
        }
        if (type.isPrimitive() || Number.class.isAssignableFrom(type)) {
            return "a number";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "a JSON array";
        }
        if (type.isRecord() || Map.class.isAssignableFrom(type) || !type.getName().startsWith("java.")) {
            return "a JSON object";
        }
        return "a valid value";
    }

    /** What the body held where the mismatch was found, or null when unknown. */
    private static String was(MismatchedInputException e) {
        JsonToken token = e.getCurrentToken();
        if (token == null) {
            return null;
        }
        return switch (token) {
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT -> "an integer number";
            case VALUE_NUMBER_FLOAT -> "a number with a fraction";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            case START_OBJECT, END_OBJECT, PROPERTY_NAME -> "an object";
            case START_ARRAY, END_ARRAY -> "an array";
            default -> null;
        };
    }

    private static String enumValues(InvalidFormatException e) {
        // the wire names (which a @JsonValue may differ from the constants) are in Jackson's message; else constants
        String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        int open = message.lastIndexOf('[');
        int close = message.lastIndexOf(']');
        if (open >= 0 && close > open) {
            return message.substring(open + 1, close);
        }
        return Arrays.stream(e.getTargetType().getEnumConstants()).map(Object::toString)
                .collect(Collectors.joining(", "));
    }

    private static String shown(Object value) {
        if (value == null) {
            return "null";
        }
        String text = String.valueOf(value);
        StringBuilder out = new StringBuilder("'");
        for (int i = 0; i < text.length() && i < 40; i++) {
            char c = text.charAt(i);
            out.append(c >= 0x20 && c <= 0x7E ? String.valueOf(c) : "?");
        }
        return out.append(text.length() > 40 ? "…'" : "'").toString();
    }

    static String jsonPath(List<JacksonException.Reference> path) {
        StringBuilder sb = new StringBuilder();
        for (JacksonException.Reference ref : path) {
            if (ref.getPropertyName() != null) {
                sb.append(sb.isEmpty() ? "" : ".").append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.isEmpty() ? "(root)" : sb.toString();
    }

    /** Jackson's first line, without Java type names or backquoted types: the fallback for rare shapes. */
    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        String line = (nl < 0 ? message : message.substring(0, nl)).replaceAll(QUALIFIED_TYPE, "$1")
                .replaceAll("`[^`]*`", "the expected type").replaceAll("\\([^)]*CoercionConfig[^)]*\\)", "");
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }
}
