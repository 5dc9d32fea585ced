package org.ocpihub.app.edge;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;

/**
 * A lingering close, as nginx does it: when the server closes a connection, it first only shuts its sending side
 * (the peer receives everything written so far, then end of stream) and keeps reading, dropping what arrives, until
 * the peer closes, {@code maxBytes} were dropped or {@code timeout} passed; only then is the socket closed.
 *
 * <p>Why: closing a TCP socket whose receive buffer still holds unread data makes the kernel send a reset, and a
 * client that is still writing its body (Java's HttpURLConnection, Python's urllib write the whole body before they
 * read) then sees "connection reset" instead of the hub's 413 answer that was already on its way.
 *
 * <p>Sits first in the pipeline (next to the socket), so while lingering nothing reaches the HTTP codec. One
 * instance per connection; all methods run on the connection's event loop.
 */
final class LingeringClose extends ChannelDuplexHandler {

    static final String NAME = "hub.lingeringClose";

    private final long timeoutNanos;
    private final long maxBytes;
    private boolean lingering;
    private long dropped;
    private ChannelPromise closePromise;
    private ScheduledFuture<?> timer;

    LingeringClose(Duration timeout, long maxBytes) {
        this.timeoutNanos = timeout.toNanos();
        this.maxBytes = maxBytes;
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        if (lingering || timeoutNanos <= 0 || !ctx.channel().isActive()
                || !(ctx.channel() instanceof DuplexChannel duplex) || duplex.isInputShutdown()) {
            ctx.close(promise);
            return;
        }
        lingering = true;
        closePromise = promise;
        duplex.shutdownOutput().addListener(done -> {
            if (!done.isSuccess()) {
                finish(ctx);
            }
        });
        timer = ctx.executor().schedule(() -> finish(ctx), timeoutNanos, TimeUnit.NANOSECONDS);
        ctx.channel().config().setAutoRead(true);
        ctx.read();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!lingering) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (msg instanceof ByteBuf buffer) {
            dropped += buffer.readableBytes();
        }
        ReferenceCountUtil.release(msg);
        if (dropped > maxBytes) {
            finish(ctx);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (!lingering) {
            ctx.fireChannelReadComplete();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (lingering && event instanceof ChannelInputShutdownEvent) {
            finish(ctx); // the peer has closed its side: nothing more will come
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (lingering) {
            cancelTimer();
            if (closePromise != null) {
                closePromise.trySuccess();
            }
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (lingering) {
            finish(ctx); // e.g. the peer reset: the socket is going anyway
            return;
        }
        ctx.fireExceptionCaught(cause);
    }

    private void finish(ChannelHandlerContext ctx) {
        cancelTimer();
        ChannelPromise promise = closePromise;
        closePromise = null;
        if (promise != null) {
            ctx.close(promise);
        } else if (ctx.channel().isOpen()) {
            ctx.close();
        }
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
