package org.ocpihub.ocpi;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads a pushed body the way the hub checks it: duplicate keys refused at every level (so that no receiver can
 * read another value than the hub checked, e.g. a second {@code party_id}), numbers kept exact (BigDecimal, scale
 * kept). Use it wherever a security or storage decision is taken on a body.
 */
public final class StrictJson {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(JsonNodeFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    private static final Pattern DUPLICATE = Pattern.compile("Duplicate Object property \"(.*?)\"");

    private StrictJson() {
    }

    /** Why a body could not be read: not JSON at all, JSON but not an object, or an object with a repeated key. */
    public enum Problem { NOT_JSON, NOT_AN_OBJECT, DUPLICATE_KEY }

    /**
     * A body that was refused. {@link #getMessage()} names the problem (and the repeated key) for an OCPI
     * {@code status_message}; it never carries a Java class name.
     */
    public static final class InvalidBody extends RuntimeException {
        private final Problem problem;

        InvalidBody(Problem problem, String message) {
            super(message, null, false, false);
            this.problem = problem;
        }

        public Problem problem() {
            return problem;
        }
    }

    /**
     * Parses one JSON object.
     *
     * @param body UTF-8 JSON bytes
     * @return the object tree (numbers as BigDecimal)
     * @throws InvalidBody when the body is empty, not JSON (including invalid UTF-8), not an object, or repeats a key
     */
    public static ObjectNode readObject(byte[] body) {
        JsonNode node;
        try {
            node = body == null || body.length == 0 ? null : MAPPER.readTree(body);
        } catch (JacksonException e) {
            Optional<String> repeated = repeatedKey(e);
            if (repeated.isPresent()) {
                throw new InvalidBody(Problem.DUPLICATE_KEY, "field " + repeated.get()
                        + " appears more than once in the body");
            }
            throw new InvalidBody(Problem.NOT_JSON, "request body is not valid JSON");
        }
        if (node instanceof ObjectNode object) {
            return object;
        }
        throw new InvalidBody(Problem.NOT_AN_OBJECT, "request body must be a JSON object");
    }

    /**
     * The JSON path of the key a parser with duplicate detection refused as repeated (e.g. {@code evses[1].uid}), or
     * empty when {@code e} is about something else. Works on exceptions of {@link #readObject} and of any mapper
     * with {@code StreamReadFeature.STRICT_DUPLICATE_DETECTION} (such as {@link OcpiJson#strictBinding}).
     */
    public static Optional<String> repeatedKey(JacksonException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof JacksonException jackson && jackson.getOriginalMessage() != null) {
                Matcher duplicate = DUPLICATE.matcher(jackson.getOriginalMessage());
                if (duplicate.find()) {
                    return Optional.of(parentPath(jackson) + duplicate.group(1));
                }
            }
        }
        return Optional.empty();
    }

    /** The JSON path of the object holding the repeated key, e.g. {@code evses[0].}, or empty at the top level. */
    private static String parentPath(JacksonException e) {
        if (!(e instanceof StreamReadException read) || read.processor() == null) {
            return "";
        }
        TokenStreamContext context = read.processor().streamReadContext();
        StringBuilder path = new StringBuilder();
        for (TokenStreamContext c = context == null ? null : context.getParent(); c != null && !c.inRoot();
             c = c.getParent()) {
            String step = c.inArray() ? "[" + c.getCurrentIndex() + "]" : "." + c.currentName();
            path.insert(0, step);
        }
        String text = path.length() > 0 && path.charAt(0) == '.' ? path.substring(1) : path.toString();
        return text.isEmpty() ? "" : text + ".";
    }
}
