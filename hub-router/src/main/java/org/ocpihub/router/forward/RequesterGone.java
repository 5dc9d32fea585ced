package org.ocpihub.router.forward;

import java.io.IOException;

import reactor.netty.channel.AbortedException;

/**
 * The requester hung up while the hub was still reading the request body it streams to the receiver. Marks the
 * failure as the requester's, so it is logged as such and never counted against the receiver's circuit breaker nor
 * taken for the receiver being unreachable.
 */
public final class RequesterGone extends RuntimeException {

    RequesterGone(Throwable cause) {
        super("the requester closed the connection", cause, false, false);
    }

    /** Connection-level failures of the requester's body become {@link RequesterGone}; others pass unchanged. */
    static Throwable wrap(Throwable error) {
        return error instanceof IOException || error instanceof AbortedException ? new RequesterGone(error) : error;
    }

    /** Whether {@code error} or one of its causes is a {@link RequesterGone}. */
    public static boolean in(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof RequesterGone) {
                return true;
            }
        }
        return false;
    }
}
