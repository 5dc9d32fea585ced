package org.ocpihub.registry.http;

import java.util.List;

import org.springframework.core.io.buffer.DataBufferLimitException;

import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;

/**
 * What is wrong with a request body that could not be read, in words a client can act on: not JSON at all, too large,
 * or JSON whose field has the wrong type (named by its JSON path).
 */
public record BodyProblem(Kind kind, String message) {

    /** The three ways a body fails to be read. */
    public enum Kind { MALFORMED, TOO_LARGE, INVALID_FIELD }

    /** A fully qualified Java type name (lower-case package segments, then the class), capturing the class. */
    private static final String QUALIFIED_TYPE = "\\b(?:[a-z_][a-z0-9_]*\\.)+([A-Z][\\w$]*)";

    public static BodyProblem of(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof DataBufferLimitException) {
                return new BodyProblem(Kind.TOO_LARGE, "request body is larger than the hub accepts");
            }
            if (t instanceof StreamReadException) {
                return new BodyProblem(Kind.MALFORMED, "request body is not valid JSON");
            }
            if (t instanceof JacksonException jackson) {
                return new BodyProblem(Kind.INVALID_FIELD, "invalid value for field " + jsonPath(jackson.getPath())
                        + ": " + firstLine(jackson.getOriginalMessage()));
            }
        }
        return new BodyProblem(Kind.MALFORMED, "request body is missing or unreadable");
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

    /** Jackson's first line, with Java packages cut from type names: the client needs "Role", not our classes. */
    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        String line = (nl < 0 ? message : message.substring(0, nl)).replaceAll(QUALIFIED_TYPE, "$1");
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }
}
