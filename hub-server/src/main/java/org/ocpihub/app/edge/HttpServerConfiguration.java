package org.ocpihub.app.edge;

import java.time.Duration;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import reactor.netty.NettyPipeline;

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
        return server -> server
                .readTimeout(properties.readTimeout())
                .idleTimeout(properties.idleTimeout())
                .doOnChannelInit((observer, channel, remote) -> {
                    channel.pipeline().addFirst(LingeringClose.NAME,
                            new LingeringClose(properties.lingerTimeout(), properties.lingerMaxSize().toBytes()));
                    if (deadline) {
                        if (channel.pipeline().get(NettyPipeline.HttpCodec) == null) {
                            // not HTTP/1.1 (the hub serves only HTTP/1.1): refuse rather than serve without the limit
                            throw new IllegalStateException("no HTTP/1.1 codec in the connection's pipeline for the "
                                    + "request timeout (hub.http.request-timeout) to follow");
                        }
                        channel.pipeline().addAfter(NettyPipeline.HttpCodec, RequestDeadline.NAME,
                                new RequestDeadline(requestTimeout));
                    }
                });
    }
}
