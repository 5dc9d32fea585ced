package org.ocpihub.router.relay;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.ocpihub.ocpi.OcpiJson;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * Replaces the value of one top-level string field in raw JSON bytes and leaves every other byte as it was: the hub
 * rewrites a URL (D5) without re-serialising the body (TF 4.1.8.8: formatting, unknown fields and last_updated stay).
 */
public final class JsonStringField {

    /** Where a top-level string value sits in the bytes, and what it says. */
    public record Found(String value, int start, int end) {
    }

    private JsonStringField() {
    }

    public static Optional<Found> find(byte[] json, String field) {
        try (JsonParser parser = OcpiJson.mapper().createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.PROPERTY_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals(name) && value == JsonToken.VALUE_STRING) {
                    int start = (int) parser.currentTokenLocation().getByteOffset();
                    String text = parser.getString();
                    parser.nextToken(); // moves past the value, so the location is after its closing quote
                    int end = endOfString(json, start);
                    return Optional.of(new Found(text, start, end));
                }
                parser.skipChildren();
            }
            return Optional.empty();
        }
    }

    /** The bytes with {@code found}'s value replaced by {@code replacement} (JSON-encoded). */
    public static byte[] replace(byte[] json, Found found, String replacement) {
        byte[] value = OcpiJson.mapper().writeValueAsString(replacement).getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(json.length + value.length);
        out.write(json, 0, found.start());
        out.writeBytes(value);
        out.write(json, found.end(), json.length - found.end());
        return out.toByteArray();
    }

    /** Index just past the closing quote of the JSON string starting at {@code start}. */
    private static int endOfString(byte[] json, int start) {
        for (int i = start + 1; i < json.length; i++) {
            if (json[i] == '\\') {
                i++;
            } else if (json[i] == '"') {
                return i + 1;
            }
        }
        throw new IllegalArgumentException("unterminated string");
    }
}
