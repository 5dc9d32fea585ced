package org.ocpihub.console.web;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * How part E's pages show times: UTC to the second ({@code 2026-12-01 05:00:07Z}), put in their model as
 * {@code times} so templates write {@code ${times.utc(x)}} (Thymeleaf 3.1 restricts static calls in expressions).
 */
public final class Times {

    /** The one instance pages use. */
    public static final Times INSTANCE = new Times();

    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter UTC_MILLIS = DateTimeFormatter.ofPattern("HH:mm:ss.SSS")
            .withZone(ZoneOffset.UTC);

    private Times() {
    }

    /** {@code 2026-12-01 05:00:07Z}, or empty for null. */
    public String utc(Instant at) {
        return at == null ? "" : UTC.format(at);
    }

    /** {@code 05:00:07.123} (UTC), for a timeline where milliseconds tell the order; empty for null. */
    public String clock(Instant at) {
        return at == null ? "" : UTC_MILLIS.format(at);
    }
}
