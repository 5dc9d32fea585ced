package org.ocpihub.testkit.party;

import java.time.Duration;
import java.util.Objects;

/** A switchable misbehaviour of the versions and version-details endpoints, to test a peer's error handling. */
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
        /** Version details list only the credentials endpoint (a peer requiring modules should answer 3003). */
        NO_ENDPOINTS,
        /** The versions list offers only 2.1.1 (a peer should answer 3002). */
        NO_MATCHING_VERSION
    }

    public static final Fault NONE = new Fault(Kind.NONE, Duration.ZERO);
    public static final Fault REFUSE_500 = new Fault(Kind.REFUSE_500, Duration.ZERO);
    public static final Fault GARBAGE_JSON = new Fault(Kind.GARBAGE_JSON, Duration.ZERO);
    public static final Fault NO_ENDPOINTS = new Fault(Kind.NO_ENDPOINTS, Duration.ZERO);
    public static final Fault NO_MATCHING_VERSION = new Fault(Kind.NO_MATCHING_VERSION, Duration.ZERO);

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
