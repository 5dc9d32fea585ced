package org.ocpihub.broadcast.getall;

import java.math.BigInteger;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.ocpihub.ocpi.OcpiDateTime;

/**
 * The pagination parameters of a GET All request (TF 4.1.4.1): {@code date_from} (inclusive) and {@code date_to}
 * (exclusive) on {@code last_updated}, {@code offset} (default 0) and {@code limit} (default and cap: the hub's page
 * cap). Read from the raw query; the other parameters are kept as received for the next page's {@code Link}.
 *
 * @param dateFrom  null when absent
 * @param dateTo    null when absent
 * @param offset    the first object (0-based)
 * @param limit     the page size the hub uses: what the client asked for, at most the cap
 * @param after     the keyset cursor of a {@code Link} the hub handed out ({@code after}), or null; when given, the
 *                  page starts after it and {@code offset} is informational only
 * @param rawParts  the query's {@code name=value} parts as received (encoded), in order
 */
public record PageRequest(Instant dateFrom, Instant dateTo, int offset, int limit, PageCursor after,
                          List<String> rawParts) {

    public PageRequest {
        rawParts = List.copyOf(rawParts);
    }

    /** A request without a cursor (offset paging). */
    public PageRequest(Instant dateFrom, Instant dateTo, int offset, int limit, List<String> rawParts) {
        this(dateFrom, dateTo, offset, limit, null, rawParts);
    }

    /**
     * Parses a raw query; throws {@link InvalidParameterException} naming the parameter whose value is not valid,
     * or that is given more than once.
     *
     * @param rawQuery the query as received, or null
     * @param cap      the hub's page cap (X-Limit)
     */
    public static PageRequest parse(String rawQuery, int cap) {
        Instant dateFrom = null;
        Instant dateTo = null;
        Integer offset = null;
        Integer limit = null;
        PageCursor after = null;
        List<String> parts = new ArrayList<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String part : rawQuery.split("&")) {
                if (part.isEmpty()) {
                    continue;
                }
                parts.add(part);
                int eq = part.indexOf('=');
                String name = decode(eq < 0 ? part : part.substring(0, eq));
                String value = eq < 0 ? "" : decode(part.substring(eq + 1));
                switch (name) {
                    case "date_from" -> dateFrom = once(name, dateFrom, dateTime(name, value));
                    case "date_to" -> dateTo = once(name, dateTo, dateTime(name, value));
                    case "offset" -> offset = once(name, offset, integer(name, value, 0));
                    case "limit" -> limit = once(name, limit, integer(name, value, 1));
                    case "after" -> after = once(name, after, PageCursor.parse(value));
                    default -> { }
                }
            }
        }
        return new PageRequest(dateFrom, dateTo, offset == null ? 0 : offset,
                limit == null ? cap : Math.min(limit, cap), after, parts);
    }

    /**
     * A paging parameter is given once: a second value is ambiguous (the hub and a receiver, or two frameworks,
     * could each read another one), so it is refused, naming the parameter, whatever the values.
     */
    private static <T> T once(String name, T earlier, T value) {
        if (earlier != null) {
            throw new InvalidParameterException("query parameter " + name
                    + " is given more than once: give it once");
        }
        return value;
    }

    /** The query of the page starting at {@code nextOffset}: every parameter as received, offset replaced. */
    public String queryWithOffset(long nextOffset) {
        return queryWith(nextOffset, null);
    }

    /**
     * The query of the next page: every parameter as received, {@code offset} replaced by {@code nextOffset} (for
     * clients that read it) and {@code after} by the cursor (what the hub pages by), when there is one.
     */
    public String queryWith(long nextOffset, PageCursor cursor) {
        List<String> next = new ArrayList<>();
        for (String part : rawParts) {
            int eq = part.indexOf('=');
            String name = decode(eq < 0 ? part : part.substring(0, eq));
            if (!name.equals("offset") && !name.equals("after")) {
                next.add(part);
            }
        }
        next.add("offset=" + nextOffset);
        if (cursor != null) {
            next.add("after=" + cursor.encode());
        }
        return String.join("&", next);
    }

    private static Instant dateTime(String name, String value) {
        return OcpiDateTime.tryParse(value).orElseThrow(() -> new InvalidParameterException(
                "query parameter " + name + " must be an OCPI DateTime (RFC 3339, e.g. 2024-01-31T12:00:00Z), was '"
                        + value + "'"));
    }

    private static int integer(String name, String value, int min) {
        String digits = value.trim();
        int parsed;
        if (!digits.isEmpty() && digits.length() <= 30 && digits.chars().allMatch(Character::isDigit)) {
            // a number beyond int range is still a number: as a limit it is capped, as an offset it is past the end
            parsed = new BigInteger(digits).min(BigInteger.valueOf(Integer.MAX_VALUE)).intValue();
        } else {
            parsed = Integer.MIN_VALUE;
        }
        if (parsed < min) {
            throw new InvalidParameterException("query parameter " + name + " must be an integer of at least "
                    + min + ", was '" + value + "'");
        }
        return parsed;
    }

    /** Percent-decoding; a '+' stays a plus (a DateTime's offset sent unencoded), as the hub reads paths. */
    private static String decode(String raw) {
        try {
            return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return raw;
        }
    }

    /** A pagination parameter with a value the hub cannot use (status 2001 naming it). */
    public static final class InvalidParameterException extends IllegalArgumentException {

        /** @param message names the parameter and what is wrong with its value */
        public InvalidParameterException(String message) {
            super(message);
        }
    }
}
