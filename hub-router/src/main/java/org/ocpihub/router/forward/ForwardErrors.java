package org.ocpihub.router.forward;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeoutException;

import org.ocpihub.ocpi.OcpiStatus;
import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.registry.http.OcpiException;

import org.ocpihub.registry.secret.EndpointUrlPolicy;
import org.ocpihub.router.pipeline.RoutingException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.timeout.ReadTimeoutException;
import reactor.netty.http.client.PrematureCloseException;
import reactor.netty.internal.shaded.reactor.pool.PoolAcquirePendingLimitException;

/**
 * Maps what can go wrong while calling a receiver onto the hub's routing codes (SC 5.4, D4), naming the party and
 * never a Java class. Expected failures (refused by the URL policy, unresolvable name, timeout, refused or closed
 * connection, open circuit) are logged, if at all, in one line without a stack trace; only an unexpected failure
 * gets its stack trace, in the operator's log.
 */
final class ForwardErrors {

    private static final Logger log = LoggerFactory.getLogger(ForwardErrors.class);

    private ForwardErrors() {
    }

    /**
     * The routing error for {@code error} (a {@link RoutingException} as it is): 2000 when the requester hung up,
     * 4003 when the receiver cannot be reached (URL policy, unresolvable name, connection refused or closed, circuit
     * open, too many calls already waiting for a connection to it), 4002 on a timeout, 4000 otherwise.
     *
     * @param timeoutSeconds the module's timeout, named in the 4002 message
     */
    static RoutingException of(Throwable error, PartyId receiver, long timeoutSeconds) {
        if (error instanceof RoutingException routing) {
            return routing;
        }
        if (RequesterGone.in(error)) { // before the receiver checks: the requester's hang-up is not the receiver's
            OcpiException refused = RequesterGone.refusal(error);
            if (refused != null) { // the hub refused the requester's body while streaming it (e.g. too large)
                return new RoutingException(refused.statusCode(), refused.getMessage());
            }
            return new RoutingException(OcpiStatus.CLIENT_ERROR, "the requester closed the connection before its "
                    + "request to " + receiver + " was complete");
        }
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof EndpointUrlPolicy.UnsafeUrlException) {
                return new RoutingException(OcpiStatus.CONNECTION_PROBLEM, "the hub does not call the address of "
                        + "receiver " + receiver + " (refused by its URL policy)");
            }
            if (t instanceof UnknownHostException) { // the JDK's and Netty's DNS resolvers both fail with it
                log.warn("cannot resolve the address of receiver {}: {}", receiver, t.getMessage());
                return new RoutingException(OcpiStatus.CONNECTION_PROBLEM, "cannot resolve the address of receiver "
                        + receiver);
            }
            if (t instanceof DataBufferLimitException) {
                return new RoutingException(OcpiStatus.HUB_ERROR, "the answer of receiver " + receiver
                        + " is too large for the hub to relay");
            }
            if (t instanceof ReadTimeoutException || t instanceof TimeoutException) {
                return new RoutingException(OcpiStatus.TIMEOUT_ON_FORWARDED_REQUEST, "receiver " + receiver
                        + " did not answer within " + timeoutSeconds + " s");
            }
            if (t instanceof PoolAcquirePendingLimitException) {
                // hub.outbound.pending-acquire-max-count calls already wait for a connection to this receiver: an
                // expected refusal under load (counted against the receiver, MemberFailures), not a hub error
                return new RoutingException(OcpiStatus.CONNECTION_PROBLEM, "too many calls are waiting for a "
                        + "connection to receiver " + receiver + "; try again later");
            }
            if (t instanceof CallNotPermittedException) {
                return new RoutingException(OcpiStatus.CONNECTION_PROBLEM, "receiver " + receiver
                        + " is failing; the hub stopped calling it for a while (circuit open)");
            }
            if (t instanceof ConnectException || t instanceof ConnectTimeoutException) {
                return new RoutingException(OcpiStatus.CONNECTION_PROBLEM, "cannot connect to receiver " + receiver);
            }
            if (t instanceof PrematureCloseException || t instanceof ClosedChannelException) {
                return new RoutingException(OcpiStatus.CONNECTION_PROBLEM, "receiver " + receiver
                        + " closed the connection without answering");
            }
        }
        // the cause goes to the operator's log only: a message to a member names no Java class (issue 7 item 8)
        log.warn("forwarding to receiver {} failed unexpectedly", receiver, error);
        return new RoutingException(OcpiStatus.HUB_ERROR, "forwarding to receiver " + receiver
                + " failed unexpectedly (the hub's operator can find the cause in its log)");
    }
}
