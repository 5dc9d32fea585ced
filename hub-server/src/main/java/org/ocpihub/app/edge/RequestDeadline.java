package org.ocpihub.app.edge;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.ReadTimeoutException;

/**
 * {@code hub.http.request-timeout}: the longest time to receive a request's body, counted from the end of its
 * headers. When it passes before the body's last part came, the request fails as a read timeout (the edge firewall
 * answers 408 if nothing was answered yet, see {@code EdgeFirewallFilter}) and the connection is closed, as Netty's
 * {@code ReadTimeoutHandler} does for {@code hub.http.read-timeout}.
 *
 * <p>Why not Reactor Netty's own {@code requestTimeout}: it schedules a task per request, and for a request the hub
 * answered before its last (empty) part was read, which is every GET, the task was never cancelled. Each request then
 * stayed in the event loop's timer queue with its headers and state for the whole timeout (30 s): at 7 000 requests
 * per second about 200 000 of them, which filled a 384 MB heap and made the hub spend most of its CPU collecting
 * garbage (issue 12, docs/benchmarks.md). Here a connection has at most one timer at a time: it is armed when a
 * request starts and none is pending (Netty's decoder hands even a GET over as its head and then an empty last
 * part), and when it fires early (it was armed for an earlier request) it re-arms itself for what is left of the
 * current one, or ends when no body is coming. So a keep-alive connection holds one timer at most, for at most the
 * timeout after its last request.
 *
 * <p>Pipelined requests (a client that sends the next request before its answer) are timed from the head of the
 * newest one; if its body is late, the connection is closed, which also cuts short an earlier answer still being
 * written. Members do not pipeline; Reactor Netty's own timeout started a queued request's clock later.
 *
 * <p>Sits right after the HTTP codec; one instance per connection; all methods run on the connection's event loop.
 */
final class RequestDeadline extends ChannelInboundHandlerAdapter {

    static final String NAME = "hub.requestDeadline";

    private final long timeoutNanos;
    /** The event loop's clock ({@code ticker()}) when the current request's headers were read. */
    private long started;
    /** The current request's body is still coming. */
    private boolean receiving;
    private ScheduledFuture<?> timer;

    /** @param timeout the longest time a body may take to arrive; must be positive */
    RequestDeadline(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest) {
            started = ctx.executor().ticker().nanoTime();
            receiving = !(msg instanceof LastHttpContent); // a full request came whole
            if (receiving) {
                arm(ctx, timeoutNanos);
            }
        } else if (msg instanceof LastHttpContent) {
            receiving = false;
        }
        ctx.fireChannelRead(msg);
    }

    private void arm(ChannelHandlerContext ctx, long delayNanos) {
        if (timer == null) {
            timer = ctx.executor().schedule(() -> expire(ctx), delayNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void expire(ChannelHandlerContext ctx) {
        timer = null;
        if (!receiving || !ctx.channel().isActive()) {
            return;
        }
        long left = started + timeoutNanos - ctx.executor().ticker().nanoTime();
        if (left > 0) {
            arm(ctx, left); // armed for an earlier request on this connection
            return;
        }
        receiving = false;
        ctx.fireExceptionCaught(ReadTimeoutException.INSTANCE);
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancel();
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
