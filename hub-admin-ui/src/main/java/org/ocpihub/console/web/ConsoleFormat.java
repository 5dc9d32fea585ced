package org.ocpihub.console.web;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import org.ocpihub.ocpi.OcpiDateTime;

/**
 * How the console writes numbers and times (in templates as {@code ${fmt.…}}): times in UTC to the second, ages
 * ("12 s ago"), rates and shares with a fixed number of decimals, so a column reads the same row after row.
 */
public final class ConsoleFormat {

    /** The one instance templates get as {@code fmt}. */
    public static final ConsoleFormat INSTANCE = new ConsoleFormat();

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private ConsoleFormat() {
    }

    /** {@code 2026-12-01 06:30:12 UTC}, or "never" for null. */
    public String time(Instant at) {
        return at == null ? "never" : TIME.format(at);
    }

    /** {@code 12 s ago}, {@code 4 min ago}, {@code 3 h ago}, {@code 2 d ago}, or "never" for null. */
    public String ago(Instant at) {
        if (at == null) {
            return "never";
        }
        Duration d = Duration.between(at, OcpiDateTime.now());
        if (d.isNegative()) {
            d = Duration.ZERO;
        }
        if (d.toSeconds() < 120) {
            return d.toSeconds() + " s ago";
        }
        if (d.toMinutes() < 120) {
            return d.toMinutes() + " min ago";
        }
        if (d.toHours() < 48) {
            return d.toHours() + " h ago";
        }
        return d.toDays() + " d ago";
    }

    /** A rate or count with {@code decimals} places, e.g. {@code 0.27}. */
    public String number(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    /** A share 0..1 as a percentage with one decimal, e.g. {@code 2.5 %}. */
    public String percent(double share) {
        return String.format(Locale.ROOT, "%.1f %%", share * 100);
    }

    /** Milliseconds, rounded, e.g. {@code 38 ms}, or "–" when none. */
    public String millis(Double ms) {
        return ms == null ? "–" : Math.round(ms) + " ms";
    }
}
