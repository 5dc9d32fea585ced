package org.ocpihub.router.forward;

import java.io.IOException;

import org.ocpihub.registry.http.OcpiException;
import org.ocpihub.registry.outbound.NotAMemberFailure;

import reactor.netty.channel.AbortedException;

/**
 * The requester's side failed while the hub was still reading the request body it streams to the receiver: the
 * requester hung up, or the hub itself refused the body (an {@link OcpiException}, e.g. over the module's size
 * limit). Marks the failure as the requester's, so it is logged as such and never counted against the receiver's
 * circuit breaker nor taken for the receiver being unreachable ({@link NotAMemberFailure}).
 */
public final class RequesterGone extends RuntimeException implements NotAMemberFailure {

    RequesterGone(Throwable cause) {
        super("the requester closed the connection", cause, false, false);
    }

    /**
     * Connection-level failures of the requester's body, and the hub's own refusals of it, become
     * {@link RequesterGone}; others pass unchanged.
     */
    static Throwable wrap(Throwable error) {
        return error instanceof IOException || error instanceof AbortedException || error instanceof OcpiException
                ? new RequesterGone(error) : error;
    }

    /** The hub's own refusal of the requester's body inside {@code error}, if that is what it is. */
    static OcpiException refusal(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof OcpiException refused) {
                return refused;
            }
        }
        return null;
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
