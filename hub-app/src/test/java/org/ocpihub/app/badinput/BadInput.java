package org.ocpihub.app.badinput;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One row of a bad-input table: a request the hub must refuse (or, for the few tolerance rows, accept) and the exact
 * answer it must give.
 * <p>
 * {@code path}, header values and {@code body} may hold placeholders ({@code {CPO}}, {@code {EMSP_TOKEN}}, {@code {M}}
 * …) that {@link BadInputRunner} fills in when the row runs; {@code {M}} is a marker unique to one run of one row (an
 * object id, and the {@code X-Correlation-ID}), so "nothing was forwarded or stored" is checked for this row only,
 * whatever ran before it ({@code {m}} is the marker in lower case, {@code {M3}} its last two characters).
 *
 * @param name    what the row tries, shown as the test name
 * @param method  HTTP method
 * @param path    path (and query) on the hub, sent exactly as written (no normalisation)
 * @param headers request headers; a null value means "leave the header out"
 * @param body    request body, or null for none
 * @param http    the expected HTTP status
 * @param ocpi    the expected OCPI {@code status_code}, {@link #ADMIN_ERROR} for an admin API {@code {"error"}}, or
 *                {@link #NO_ENVELOPE}
 * @param message a regular expression (case-insensitive, found anywhere) the status message or error must match:
 *                it names the field, header or rule at fault
 */
public record BadInput(String name, String method, String path, Map<String, String> headers, String body, int http,
                       int ocpi, String message) {

    /** The admin API answers {@code {"error": "..."}}, not an OCPI envelope. */
    public static final int ADMIN_ERROR = -1;

    /**
     * The answer is neither OCPI nor admin API (e.g. {@code /actuator}): only the HTTP status is fixed, and the body
     * must not leak anything (no metric names, no health details).
     */
    public static final int NO_ENVELOPE = -2;

    public BadInput {
        headers = headers == null ? Map.of() : new LinkedHashMap<>(headers);
    }

    /** True when the row expects the request to be taken (a tolerance row): then it may be forwarded and stored. */
    public boolean accepted() {
        return ocpi >= 1000 && ocpi < 2000;
    }

    /** The same headers with one changed (null removes it). */
    public static Map<String, String> with(Map<String, String> headers, String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return copy;
    }

    @Override
    public String toString() {
        return name;
    }
}
