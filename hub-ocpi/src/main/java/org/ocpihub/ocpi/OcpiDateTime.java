package org.ocpihub.ocpi;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.ValueSerializer;

/**
 * OCPI DateTime rules (TYP 16.2): always written in UTC with a {@code Z} and at most millisecond precision, so it fits
 * string(25); read leniently (no zone means UTC; an explicit offset is converted) because peers get this wrong.
 */
public final class OcpiDateTime {

    private OcpiDateTime() {
    }

    /** The current time as OCPI writes it: UTC, milliseconds. */
    public static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    public static String format(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.MILLIS));
    }

    /** Parses an OCPI DateTime; throws {@link IllegalArgumentException} naming the value when it is not one. */
    public static Instant parse(String text) {
        return tryParse(text).orElseThrow(() -> new IllegalArgumentException("not an RFC 3339 UTC DateTime: '" + text + "'"));
    }

    public static Optional<Instant> tryParse(String text) {
        if (text == null || text.isBlank() || text.length() > 35) {
            return Optional.empty();
        }
        String value = text.trim();
        try {
            if (value.endsWith("Z") || value.endsWith("z")) {
                return Optional.of(Instant.parse(value.substring(0, value.length() - 1) + "Z"));
            }
            int tee = value.indexOf('T');
            if (tee > 0 && (value.indexOf('+', tee) > 0 || value.indexOf('-', tee) > 0)) {
                return Optional.of(OffsetDateTime.parse(value).toInstant());
            }
            return Optional.of(LocalDateTime.parse(value).toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** Jackson serializer writing OCPI DateTimes. */
    public static final class Serializer extends ValueSerializer<Instant> {
        @Override
        public void serialize(Instant value, JsonGenerator gen, SerializationContext ctxt) {
            gen.writeString(format(value));
        }
    }

    /** Jackson deserializer reading OCPI DateTimes leniently. */
    public static final class Deserializer extends ValueDeserializer<Instant> {
        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctxt) {
            String text = p.getValueAsString();
            return tryParse(text).orElseThrow(
                    () -> ctxt.weirdStringException(text, Instant.class, "not an OCPI DateTime (RFC 3339, UTC)"));
        }
    }
}
