package org.ocpihub.testkit.party;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** OCPI DateTime values (TYP 16.1): RFC 3339, UTC; a missing zone designator means UTC. */
final class OcpiTime {

    private OcpiTime() {
    }

    /** Parses a DateTime, or returns null when it is none. */
    static Instant parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException notInstant) {
            try {
                return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException notLocal) {
                try {
                    return OffsetDateTime.parse(text).toInstant();
                } catch (DateTimeParseException invalid) {
                    return null;
                }
            }
        }
    }

    /** Formats as {@code 2015-06-29T20:39:09Z} (whole seconds). */
    static String format(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }
}
