package org.ocpihub.registry.http;

import org.springframework.http.HttpStatus;

/**
 * Query parameters of the admin API, read as the operator wrote them: a value that is not what the parameter takes
 * is a 400 naming it, never a silent default or clamp of something unreadable.
 */
public final class AdminQuery {

    private AdminQuery() {
    }

    /**
     * A list size ({@code ?limit=}): a whole number of at least 1, written in digits only (no sign, fraction or
     * exponent), within an int; above {@code max} the list is cut at {@code max}.
     *
     * @param name the parameter's name, for the message
     * @param raw  its value as bound (Spring joins a parameter given twice with a comma: refused too)
     * @param max  the longest list the endpoint returns
     * @return the size to use, 1 to {@code max}
     * @throws AdminApiException 400 naming the parameter
     */
    public static int limit(String name, String raw, int max) {
        String value = raw == null ? "" : raw.trim();
        long parsed = value.matches("[0-9]{1,10}") ? Long.parseLong(value) : -1;
        if (parsed < 1 || parsed > Integer.MAX_VALUE) {
            throw new AdminApiException(HttpStatus.BAD_REQUEST, "query parameter " + name + " must be a whole number"
                    + " of at least 1 (at most " + max + " are listed), was '" + shown(raw) + "'");
        }
        return (int) Math.min(parsed, max);
    }

    /**
     * An id parameter ({@code ?platform=}, {@code ?receiver=}): a UUID, or null when absent or blank.
     *
     * @throws AdminApiException 400 naming the parameter
     */
    public static java.util.UUID uuid(String name, String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            return java.util.UUID.fromString(raw.trim());
        } catch (IllegalArgumentException e) {
            throw new AdminApiException(HttpStatus.BAD_REQUEST, "query parameter " + name
                    + " must be a platform id (a UUID), was '" + shown(raw) + "'");
        }
    }

    /**
     * A time parameter ({@code ?from=}, {@code ?to=}): RFC 3339 ({@code 2026-12-01T05:00:00Z}; without an offset it
     * is UTC), or null when absent or blank.
     *
     * @throws AdminApiException 400 naming the parameter
     */
    public static java.time.Instant time(String name, String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        return org.ocpihub.ocpi.OcpiDateTime.tryParse(raw.trim()).orElseThrow(() -> new AdminApiException(
                HttpStatus.BAD_REQUEST, "query parameter " + name + " must be a date and time such as "
                        + "2026-12-01T05:00:00Z, was '" + shown(raw) + "'"));
    }

    /**
     * A list offset ({@code ?offset=}): a whole number of at least 0 in digits only, 0 when absent.
     *
     * @throws AdminApiException 400 naming the parameter
     */
    public static int offset(String name, String raw) {
        if (raw == null) {
            return 0;
        }
        String value = raw.trim();
        long parsed = value.matches("[0-9]{1,10}") ? Long.parseLong(value) : -1;
        if (parsed < 0 || parsed > Integer.MAX_VALUE) {
            throw new AdminApiException(HttpStatus.BAD_REQUEST, "query parameter " + name
                    + " must be a whole number of at least 0, was '" + shown(raw) + "'");
        }
        return (int) parsed;
    }

    private static String shown(String raw) {
        StringBuilder out = new StringBuilder();
        if (raw != null) {
            raw.chars().limit(40).forEach(c -> out.append(c >= 0x20 && c <= 0x7E ? (char) c : '?'));
        }
        return out.toString();
    }
}
