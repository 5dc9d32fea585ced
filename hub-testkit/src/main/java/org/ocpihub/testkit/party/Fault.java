package org.ocpihub.testkit.party;

import java.time.Duration;
import java.util.Objects;

/**
 * A switchable misbehaviour of an endpoint (versions, version details, or a module interface), to test a peer's
 * error handling.
 */
public record Fault(Kind kind, Duration delay) {

    /** The kinds of misbehaviour. */
    public enum Kind {
        /** Answer normally. */
        NONE,
        /** Answer normally, after a delay (non-blocking). */
        SLOW,
        /** Answer HTTP 500 with an OCPI envelope carrying status 3000. */
        REFUSE_500,
        /** Answer HTTP 200 with a body that is not valid JSON. */
        GARBAGE_JSON,
        /** Close the connection after reading the request, without any answer. */
        CLOSE_CONNECTION,
        /** Paginated GETs answer pages of {@link #TINY_PAGE_SIZE} objects at most (module interfaces only). */
        TINY_PAGES,
        /** Version details list only the credentials endpoint (a peer requiring modules should answer 3003). */
        NO_ENDPOINTS,
        /** The versions list offers only 2.1.1 (a peer should answer 3002). */
        NO_MATCHING_VERSION,
        /** Answer normally, with a UTF-8 byte-order mark before the JSON (a quirk of real platforms). */
        BOM,
        /** Answer normally, with an envelope timestamp not in OCPI format ({@link #ODD_TIMESTAMP_VALUE}). */
        ODD_TIMESTAMP
    }

    /** The envelope timestamp sent under {@link Kind#ODD_TIMESTAMP}, as one platform in the field writes it. */
    public static final String ODD_TIMESTAMP_VALUE = "2026-11-30 22:38:34.050081+00:00";

    /** The page size ({@code X-Limit}) under {@link Kind#TINY_PAGES}. */
    public static final int TINY_PAGE_SIZE = 2;

    public static final Fault NONE = new Fault(Kind.NONE, Duration.ZERO);
    public static final Fault REFUSE_500 = new Fault(Kind.REFUSE_500, Duration.ZERO);
    public static final Fault GARBAGE_JSON = new Fault(Kind.GARBAGE_JSON, Duration.ZERO);
    public static final Fault CLOSE_CONNECTION = new Fault(Kind.CLOSE_CONNECTION, Duration.ZERO);
    public static final Fault TINY_PAGES = new Fault(Kind.TINY_PAGES, Duration.ZERO);
    public static final Fault NO_ENDPOINTS = new Fault(Kind.NO_ENDPOINTS, Duration.ZERO);
    public static final Fault NO_MATCHING_VERSION = new Fault(Kind.NO_MATCHING_VERSION, Duration.ZERO);
    public static final Fault BOM = new Fault(Kind.BOM, Duration.ZERO);
    public static final Fault ODD_TIMESTAMP = new Fault(Kind.ODD_TIMESTAMP, Duration.ZERO);

    public Fault {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("negative delay: " + delay);
        }
    }

    /** Answers normally after {@code delay}. */
    public static Fault slow(Duration delay) {
        return new Fault(Kind.SLOW, delay);
    }
}
