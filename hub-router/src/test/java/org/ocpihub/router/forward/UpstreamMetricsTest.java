package org.ocpihub.router.forward;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.netty.handler.timeout.ReadTimeoutException;

/** The {@code result} label of {@code ocpihub.routing.upstream}: what the receiver did, as an operator reads it. */
class UpstreamMetricsTest {

    @Test
    void answersCountByTheirStatusClass() {
        assertThat(UpstreamMetrics.statusClass(200)).isEqualTo("2xx");
        assertThat(UpstreamMetrics.statusClass(201)).isEqualTo("2xx");
        assertThat(UpstreamMetrics.statusClass(302)).isEqualTo("3xx");
        assertThat(UpstreamMetrics.statusClass(404)).isEqualTo("4xx");
        assertThat(UpstreamMetrics.statusClass(503)).isEqualTo("5xx");
    }

    @Test
    void failuresWithoutAnAnswerAreTimeoutCircuitOpenOrUnreachable() {
        assertThat(UpstreamMetrics.result(ReadTimeoutException.INSTANCE)).isEqualTo("timeout");
        assertThat(UpstreamMetrics.result(new IllegalStateException(new TimeoutException()))).isEqualTo("timeout");
        assertThat(UpstreamMetrics.result(CallNotPermittedException.createCallNotPermittedException(
                CircuitBreaker.ofDefaults("receiver")))).isEqualTo("circuit_open");
        assertThat(UpstreamMetrics.result(new ConnectException("refused"))).isEqualTo("unreachable");
        assertThat(UpstreamMetrics.result(new UnknownHostException("nowhere.example"))).isEqualTo("unreachable");
    }

    @Test
    void aRequesterThatHungUpSaysNothingAboutTheReceiver() {
        assertThat(UpstreamMetrics.result(RequesterGone.wrap(new IOException("connection reset")))).isNull();
    }
}
