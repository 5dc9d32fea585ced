package org.ocpihub.registry.credentials;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.ocpihub.ocpi.OcpiDateTime;
import org.ocpihub.ocpi.OcpiJson;
import org.ocpihub.ocpi.OcpiResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads what a member platform answered the hub, liberally (Postel; issue 7 item 11): a UTF-8 byte-order mark at the
 * start is skipped, and an envelope {@code timestamp} that is not an OCPI DateTime is ignored, because only the
 * status code says whether a call worked. Each deviation is logged as a warning naming the member and the deviation
 * (never a token, never the body). Used wherever the hub parses an answer: handshakes and still-alive checks
 * ({@link PeerClient}), broadcast acknowledgements, command answers.
 */
public final class MemberAnswers {

    private static final Logger log = LoggerFactory.getLogger(MemberAnswers.class);
    private static final String BOM = "\uFEFF";
    /** Deviations already warned about, per member and kind: one warning each, then debug (bounded). */
    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();
    private static final int MAX_WARNED = 10_000;

    private MemberAnswers() {
    }

    /** The text without a leading byte-order mark; {@code who} names the member and the call, for the warning. */
    public static String withoutBom(String text, String who) {
        if (text != null && text.startsWith(BOM)) {
            deviation(who, "answered with a UTF-8 byte-order mark before the JSON; accepted");
            return text.substring(1);
        }
        return text;
    }

    /** The bytes without a leading UTF-8 byte-order mark (EF BB BF). */
    public static byte[] withoutBom(byte[] bytes, String who) {
        if (bytes != null && bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB
                && (bytes[2] & 0xFF) == 0xBF) {
            deviation(who, "answered with a UTF-8 byte-order mark before the JSON; accepted");
            byte[] rest = new byte[bytes.length - 3];
            System.arraycopy(bytes, 3, rest, 0, rest.length);
            return rest;
        }
        return bytes;
    }

    /**
     * The answer as a JSON tree, BOM skipped, an odd envelope timestamp removed (with a warning); throws
     * {@link JacksonException} when it is no JSON at all.
     */
    public static JsonNode tree(String text, String who) {
        JsonNode node = OcpiJson.mapper().readTree(withoutBom(text, who));
        tolerateTimestamp(node, who);
        return node;
    }

    /** As {@link #tree(String, String)}, from UTF-8 bytes. */
    public static JsonNode tree(byte[] bytes, String who) {
        return tree(new String(withoutBom(bytes, who), StandardCharsets.UTF_8), who);
    }

    /**
     * The answer as an OCPI envelope whose data is of {@code dataType}; throws {@link JacksonException} when it is no
     * JSON or the data does not fit the type.
     */
    public static <T> OcpiResponse<T> envelope(String text, JavaType dataType, String who) {
        JavaType envelope = OcpiJson.mapper().getTypeFactory().constructParametricType(OcpiResponse.class, dataType);
        JsonNode node = tree(text, who);
        return OcpiJson.mapper().readerFor(envelope).readValue(node);
    }

    /**
     * Only the envelope's top-level {@code status_code} (TF 4.1.7), read by streaming over the answer without building
     * a tree: what a broadcast acknowledgement is judged by, once per delivery. A leading byte-order mark is skipped
     * and warned about like {@link #tree(byte[], String)} does; an envelope {@code timestamp} without the DateTime
     * shape ({@code yyyy-mm-ddThh:mm:ss…}) is warned about, not parsed.
     *
     * @return the status code (a number, or a string holding one); -1 when the answer is no JSON object or has none.
     *         An answer the streaming parser refuses (not UTF-8) is read as {@link #tree(String, String)} reads it
     */
    public static int statusCode(byte[] bytes, String who) {
        byte[] json = withoutBom(bytes, who);
        if (json == null || json.length == 0) {
            return -1;
        }
        int status = -1;
        try (JsonParser parser = OcpiJson.mapper().createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return -1;
            }
            String name;
            while ((name = parser.nextName()) != null) {
                JsonToken value = parser.nextToken();
                if ("status_code".equals(name)) {
                    status = switch (value) {
                        case VALUE_NUMBER_INT -> parser.getNumberType() == JsonParser.NumberType.INT
                                ? parser.getIntValue() : -1;
                        case VALUE_NUMBER_FLOAT -> (int) parser.getDoubleValue();
                        case VALUE_STRING -> parseInt(parser.getString());
                        default -> -1;
                    };
                } else if ("timestamp".equals(name)) {
                    if (value != JsonToken.VALUE_STRING || !isRfc3339(parser.getString())) {
                        deviation(who, "answered an envelope timestamp that is not an OCPI DateTime; ignored, the "
                                + "status code decides");
                    }
                }
                parser.skipChildren();
            }
            return status;
        } catch (JacksonException e) {
            // what the byte parser refuses (bytes that are not UTF-8 in a status_message, say) is read as before:
            // decoded leniently, as a tree; no JSON at all stays -1
            try {
                JsonNode node = tree(new String(json, StandardCharsets.UTF_8), who);
                return node == null ? -1 : node.path("status_code").asInt(-1);
            } catch (RuntimeException notJson) {
                return -1;
            }
        }
    }

    private static int parseInt(String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void tolerateTimestamp(JsonNode node, String who) {
        if (!(node instanceof ObjectNode object) || !object.has("timestamp")) {
            return;
        }
        JsonNode timestamp = object.get("timestamp");
        boolean valid = timestamp.isString() && OcpiDateTime.tryParse(timestamp.asString()).isPresent()
                && isRfc3339(timestamp.asString());
        if (!valid) {
            deviation(who, "answered an envelope timestamp that is not an OCPI DateTime ("
                    + abbreviate(timestamp.toString()) + "); ignored, the status code decides");
            if (OcpiDateTime.tryParse(timestamp.isString() ? timestamp.asString() : null).isEmpty()) {
                object.remove("timestamp");
            }
        }
    }

    /** Warns the first time a member shows a deviation (a member repeats it on every answer), then logs at debug. */
    private static void deviation(String who, String what) {
        String key = who + "|" + what.substring(0, Math.min(30, what.length()));
        if (WARNED.size() < MAX_WARNED && WARNED.add(key)) {
            log.warn("{} {} (further such answers are logged at debug)", who, what);
        } else {
            log.debug("{} {}", who, what);
        }
    }

    private static boolean isRfc3339(String text) {
        return text.length() >= 19 && text.charAt(10) == 'T';
    }

    private static String abbreviate(String value) {
        return value.length() > 40 ? value.substring(0, 40) + "…" : value;
    }
}
