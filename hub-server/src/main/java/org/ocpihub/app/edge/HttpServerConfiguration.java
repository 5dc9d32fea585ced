package org.ocpihub.app.edge;

import java.time.Duration;
import java.util.Arrays;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import reactor.netty.NettyPipeline;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.server.HttpServer;

/**
 * The hub's server connections (issue 7 item 7): read, request and idle timeouts, and a lingering close so that an
 * early answer (413) reaches clients that write their whole body first.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(HttpServerProperties.class)
public class HttpServerConfiguration {

    @Bean
    NettyServerCustomizer hubConnectionLimits(HttpServerProperties properties) {
        Duration requestTimeout = properties.requestTimeout();
        boolean deadline = requestTimeout != null && !requestTimeout.isNegative() && !requestTimeout.isZero();
        // the request timeout is the hub's own RequestDeadline, not Reactor Netty's requestTimeout (see there why)
        return server -> requireHttp11(server)
                .readTimeout(properties.readTimeout())
                .idleTimeout(properties.idleTimeout())
                .doOnChannelInit((observer, channel, remote) -> {
                    channel.pipeline().addFirst(LingeringClose.NAME,
                            new LingeringClose(properties.lingerTimeout(), properties.lingerMaxSize().toBytes()));
                    if (deadline) { // the codec is there: requireHttp11
                        channel.pipeline().addAfter(NettyPipeline.HttpCodec, RequestDeadline.NAME,
                                new RequestDeadline(requestTimeout));
                    }
                });
    }

    /**
     * The connection limits follow the HTTP/1.1 codec; a server configured for HTTP/2 (e.g.
     * {@code server.http2.enabled}) would serve without them, so the hub refuses to start instead.
     */
    private static HttpServer requireHttp11(HttpServer server) {
        HttpProtocol[] protocols = server.configuration().protocols();
        if (protocols.length != 1 || protocols[0] != HttpProtocol.HTTP11) {
            throw new IllegalStateException("the hub serves HTTP/1.1 only (its read, request and idle timeouts follow "
                    + "the HTTP/1.1 codec), not " + Arrays.toString(protocols)
                    + ": unset server.http2.enabled");
        }
        return server;
    }
}
