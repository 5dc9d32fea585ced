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

    private static String shown(String raw) {
        StringBuilder out = new StringBuilder();
        if (raw != null) {
            raw.chars().limit(40).forEach(c -> out.append(c >= 0x20 && c <= 0x7E ? (char) c : '?'));
        }
        return out.toString();
    }
}
