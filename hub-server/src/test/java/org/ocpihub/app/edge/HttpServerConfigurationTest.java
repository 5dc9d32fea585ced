package org.ocpihub.app.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import reactor.netty.NettyPipeline;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.server.HttpServer;

/** The connection limits the hub puts on its server: what goes into a connection's pipeline, and when it refuses. */
class HttpServerConfigurationTest {

    private static HttpServerProperties properties(Duration requestTimeout) {
        return new HttpServerProperties(Duration.ofSeconds(10), requestTimeout, Duration.ofSeconds(60),
                Duration.ofSeconds(5), DataSize.ofMegabytes(64), 0);
    }

    /** The pipeline of a new HTTP/1.1 connection after the hub's channel initialisation. */
    private static EmbeddedChannel connection(Duration requestTimeout) {
        HttpServer server = new HttpServerConfiguration().hubConnectionLimits(properties(requestTimeout))
                .apply(HttpServer.create());
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.pipeline().addLast(NettyPipeline.HttpCodec, new HttpServerCodec());
        server.configuration().doOnChannelInit().onChannelInit(null, channel, null);
        return channel;
    }

    @Test
    void aRequestTimeoutPutsTheDeadlineRightAfterTheCodecAndTheLingeringCloseFirst() {
        EmbeddedChannel channel = connection(Duration.ofSeconds(30));
        assertThat(channel.pipeline().names()).containsSubsequence(LingeringClose.NAME, NettyPipeline.HttpCodec,
                RequestDeadline.NAME);
        assertThat(channel.pipeline().first()).isInstanceOf(LingeringClose.class);
    }

    @Test
    void aRequestTimeoutOfZeroMeansNoLimit() {
        assertThat(connection(Duration.ZERO).pipeline().get(RequestDeadline.NAME)).isNull();
        assertThat(connection(null).pipeline().get(RequestDeadline.NAME)).isNull();
    }

    @Test
    void aServerSetForHttp2IsRefusedAtStart() {
        var limits = new HttpServerConfiguration().hubConnectionLimits(properties(Duration.ofSeconds(30)));
        assertThatThrownBy(() -> limits.apply(HttpServer.create().protocol(HttpProtocol.H2C, HttpProtocol.HTTP11)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("HTTP/1.1 only")
                .hasMessageContaining("server.http2.enabled");
    }
}
