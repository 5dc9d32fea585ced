package org.ocpihub.app.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.ReadTimeoutException;

/**
 * The request timeout on a connection, on Netty's embedded channel with its own clock: a body that does not arrive
 * in time fails the request and closes the connection; an answered request leaves no timer behind (issue 12: one
 * timer per connection, not one per request).
 */
class RequestDeadlineTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final EmbeddedChannel channel = new EmbeddedChannel(new RequestDeadline(TIMEOUT));

    private static DefaultHttpRequest put() {
        return new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.PUT, "/ocpi/2.2.1/locations/receiver/NL/CPO/1");
    }

    private static DefaultHttpContent part() {
        return new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[] {'{'}));
    }

    /** Runs what is due; -1 when no timer is left pending. */
    private long pendingTimer() {
        return channel.runScheduledPendingTasks();
    }

    @Test
    void aRequestThatCameWholeArmsNoTimer() {
        for (int i = 0; i < 1000; i++) {
            channel.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/ocpi/versions"));
        }
        assertThat(pendingTimer()).isEqualTo(-1);
        assertThat(channel.inboundMessages()).as("every request passed on").hasSize(1000);
    }

    @Test
    void getsAsNettysDecoderHandsThemOverShareOneTimerThatEndsAfterTheLast() {
        // the decoder's form of a GET: its head, then an empty last part
        for (int i = 0; i < 1000; i++) {
            channel.writeInbound(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/ocpi/versions"),
                    LastHttpContent.EMPTY_LAST_CONTENT);
            channel.advanceTimeBy(10, TimeUnit.MILLISECONDS);
        }
        assertThat(pendingTimer()).as("one timer, due once 30 s after the first GET").isPositive();
        channel.advanceTimeBy(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertThat(pendingTimer()).as("it fired, found no body coming, and was not re-armed").isEqualTo(-1);
        channel.checkException();
        assertThat(channel.isActive()).isTrue();
    }

    @Test
    void bodiesThatArriveInTimeAreNotCutOffAndLeaveNoTimerOnceDue() {
        for (int i = 0; i < 1000; i++) {
            channel.writeInbound(put(), part(), LastHttpContent.EMPTY_LAST_CONTENT);
            channel.advanceTimeBy(10, TimeUnit.MILLISECONDS);
        }
        channel.advanceTimeBy(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertThat(pendingTimer()).as("the one timer fired, found nothing coming, and was not re-armed")
                .isEqualTo(-1);
        channel.checkException(); // nothing failed
        assertThat(channel.isActive()).isTrue();
    }

    @Test
    void aBodyStillComingWhenTheTimeoutPassesFailsAndClosesTheConnection() {
        channel.writeInbound(put(), part());
        channel.advanceTimeBy(TIMEOUT.toSeconds() - 1, TimeUnit.SECONDS);
        pendingTimer();
        assertThat(channel.isActive()).as("not yet").isTrue();

        channel.advanceTimeBy(2, TimeUnit.SECONDS);
        pendingTimer();
        assertThatThrownBy(channel::checkException).isSameAs(ReadTimeoutException.INSTANCE);
        assertThat(channel.isActive()).as("closed").isFalse();
    }

    @Test
    void aTimerArmedForAnEarlierRequestGivesTheNextOneItsFullTime() {
        channel.writeInbound(put(), part(), LastHttpContent.EMPTY_LAST_CONTENT); // arms for t0 + 30 s
        channel.advanceTimeBy(20, TimeUnit.SECONDS);
        channel.writeInbound(put(), part()); // starts at t0 + 20 s: may take until t0 + 50 s
        channel.advanceTimeBy(15, TimeUnit.SECONDS); // t0 + 35 s: the first timer fired and re-armed
        pendingTimer();
        channel.checkException();
        assertThat(channel.isActive()).isTrue();

        channel.advanceTimeBy(16, TimeUnit.SECONDS); // t0 + 51 s
        pendingTimer();
        assertThatThrownBy(channel::checkException).isSameAs(ReadTimeoutException.INSTANCE);
        assertThat(channel.isActive()).as("closed").isFalse();
    }
}
