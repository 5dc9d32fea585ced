package org.ocpihub.registry.outbound;

/**
 * The one rule deciding whether a call to a member platform failed because of the platform (it is down, slow or
 * broken), used alike by the circuit breaker per receiving platform, the retries of broadcast deliveries, the
 * still-alive check (HCI 15.2.3) and the record of unreachable receivers, so that they agree.
 * <p>
 * A failure of the platform: no connection (refused, reset, closed before the answer, unresolvable name, TLS, the
 * URL policy refusing the address it resolves to now), no answer in time (connect, response or pool-acquire
 * timeout), an HTTP 5xx answer, or an OCPI 3xxx server error in a 2xx envelope. Not a failure of the platform:
 * anything marked {@link NotAMemberFailure} (the requester hanging up, the hub refusing the requester's body, the
 * platform refusing the request with HTTP 4xx or OCPI 2xxx: it is there and answered). The still-alive probe, a call
 * the hub makes on its own, fails on these and also on any answer that is not a 2xx OCPI success ({@code
 * PeerClient#answers}): a platform that refuses the hub's own token or no longer serves OCPI is not alive.
 */
public final class MemberFailures {

    private MemberFailures() {
    }

    /**
     * Whether {@code error}, raised by a call to a member platform, counts against the platform: true unless it or
     * one of its causes is a {@link NotAMemberFailure}. An error the hub cannot classify counts, so that a platform
     * failing in an unforeseen way still opens its breaker.
     */
    public static boolean isFailure(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof NotAMemberFailure) {
                return false;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return true;
    }

    /** Whether an answer with this HTTP status counts against the platform: a 5xx does. */
    public static boolean isFailure(int httpStatus) {
        return httpStatus >= 500;
    }

    /**
     * Whether an answer counts against the platform, when its OCPI envelope was read: HTTP 5xx, or an OCPI server
     * error 3000-3999.
     *
     * @param ocpiStatus the envelope's {@code status_code}, or {@code -1} when there is none or it cannot be read
     */
    public static boolean isFailure(int httpStatus, int ocpiStatus) {
        return isFailure(httpStatus) || (ocpiStatus >= 3000 && ocpiStatus < 4000);
    }

    /**
     * For a circuit breaker's result predicate: whether a call's result is an answer whose HTTP status counts against
     * the platform ({@link HttpAnswer}, e.g. the head of a forwarded call's answer).
     */
    public static boolean isFailedAnswer(Object result) {
        return result instanceof HttpAnswer answer && isFailure(answer.httpStatus());
    }

    /** A member's answer as far as its HTTP status is known (its head arrived; the body may still be streaming). */
    public interface HttpAnswer {

        /** The HTTP status code, e.g. 200 or 503. */
        int httpStatus();
    }
}
