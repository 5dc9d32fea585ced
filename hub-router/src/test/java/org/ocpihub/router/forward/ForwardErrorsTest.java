package org.ocpihub.router.forward;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.ocpihub.ocpi.OcpiStatus;
import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.registry.secret.EndpointUrlPolicy;
import org.ocpihub.router.pipeline.RoutingException;
import org.springframework.core.io.buffer.DataBufferLimitException;

import reactor.netty.channel.AbortedException;

/** Who is blamed for a failed forwarding: the requester's hang-up is never the receiver's failure. */
class ForwardErrorsTest {

    private static final PartyId RECEIVER = PartyId.of("NL", "RCV");

    @Test
    void aRequesterHangingUpIsTheRequestersNotTheReceivers() {
        Throwable gone = RequesterGone.wrap(new AbortedException("Connection has been closed"));

        RoutingException mapped = ForwardErrors.of(new IllegalStateException("wrapped", gone), RECEIVER, 10);

        assertThat(mapped.statusCode()).isEqualTo(OcpiStatus.CLIENT_ERROR);
        assertThat(mapped.getMessage()).contains("requester closed the connection").doesNotContain("Exception");
        assertThat(RequesterGone.wrap(new IOException("reset"))).isInstanceOf(RequesterGone.class);
        assertThat(RequesterGone.wrap(new DataBufferLimitException("limit"))).isNotInstanceOf(RequesterGone.class);
    }

    @Test
    void aRefusedAddressAndATooLargeAnswerNameTheReceiverWithoutClassNames() {
        RoutingException refused = ForwardErrors.of(new IllegalStateException(
                new EndpointUrlPolicy.UnsafeUrlException("address 127.0.0.1 is private")), RECEIVER, 10);
        RoutingException large = ForwardErrors.of(new DataBufferLimitException("too big"), RECEIVER, 10);
        RoutingException other = ForwardErrors.of(new UnsupportedOperationException("x"), RECEIVER, 10);

        assertThat(refused.statusCode()).isEqualTo(OcpiStatus.CONNECTION_PROBLEM);
        assertThat(refused.getMessage()).contains("NL", "RCV", "URL policy");
        assertThat(large.getMessage()).contains("too large");
        assertThat(other.getMessage()).doesNotContain("Exception");
        assertThat(ForwardErrors.of(new ConnectException("refused"), RECEIVER, 10).statusCode())
                .isEqualTo(OcpiStatus.CONNECTION_PROBLEM);
    }

    @Test
    void anUnexpectedFailureIsReportedWithoutItsJavaClass() {
        RoutingException mapped = ForwardErrors.of(new IllegalArgumentException("Illegal character in path"),
                RECEIVER, 10);
        assertThat(mapped.getMessage()).contains("NL", "RCV", "failed unexpectedly")
                .doesNotContain("IllegalArgumentException", "Exception", "java.");
        RoutingException state = ForwardErrors.of(new IllegalStateException(), RECEIVER, 10);
        assertThat(state.getMessage()).doesNotContain("Exception");
    }

    /** Minor finding: an unresolvable receiver host is 4003 naming the receiver (was 4000 "failed unexpectedly"). */
    @Test
    void anUnresolvableReceiverIsAConnectionProblemNamingIt() {
        java.net.UnknownHostException dns = new java.net.UnknownHostException("failed to resolve 'cpo.invalid'");
        for (Throwable error : List.of(dns, new IllegalStateException("wrapped", dns))) {
            RoutingException mapped = ForwardErrors.of(error, RECEIVER, 10);

            assertThat(mapped.statusCode()).isEqualTo(OcpiStatus.CONNECTION_PROBLEM);
            assertThat(mapped.getMessage()).isEqualTo("cannot resolve the address of receiver NL/RCV");
        }
    }

    /** The hub refusing the requester's streamed body (over the size limit) is the requester's, logged as no fault. */
    @Test
    void theHubRefusingTheRequestersBodyIsTheRequesters() {
        Throwable refused = RequesterGone.wrap(new org.ocpihub.registry.http.OcpiException(
                org.springframework.http.HttpStatus.PAYLOAD_TOO_LARGE, OcpiStatus.INVALID_OR_MISSING_PARAMETERS,
                "request body is larger than the hub routes for tokens (at most 1 MB)"));

        assertThat(RequesterGone.in(refused)).isTrue();
        RoutingException mapped = ForwardErrors.of(refused, RECEIVER, 10);
        assertThat(mapped.statusCode()).isEqualTo(OcpiStatus.INVALID_OR_MISSING_PARAMETERS);
        assertThat(mapped.getMessage()).contains("larger than").doesNotContain("unexpectedly", "Exception");
    }

    /**
     * Attack 8: with {@code hub.outbound.pending-acquire-max-count} reached (a bounded queue since issue 8), the call
     * is refused at once by the pool; that is an expected refusal under load, 4003 naming the receiver (it was 4000
     * "failed unexpectedly", with a stack trace in the log for every refused call).
     */
    @Test
    void aFullQueueOfCallsWaitingForAConnectionIsAConnectionProblemNamingTheReceiver() {
        var full = new reactor.netty.internal.shaded.reactor.pool.PoolAcquirePendingLimitException(2000);
        for (Throwable error : List.of(full, new IllegalStateException("wrapped", full))) {
            RoutingException mapped = ForwardErrors.of(error, RECEIVER, 10);

            assertThat(mapped.statusCode()).isEqualTo(OcpiStatus.CONNECTION_PROBLEM);
            assertThat(mapped.getMessage()).contains("NL/RCV", "waiting")
                    .doesNotContain("unexpectedly", "Exception", "2000");
        }
    }
}
