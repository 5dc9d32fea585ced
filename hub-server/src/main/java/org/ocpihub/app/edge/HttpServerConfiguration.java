package org.ocpihub.app.edge;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The hub's server connections (issue 7 item 7): read, request and idle timeouts, and a lingering close so that an
 * early answer (413) reaches clients that write their whole body first.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(HttpServerProperties.class)
public class HttpServerConfiguration {

    @Bean
    NettyServerCustomizer hubConnectionLimits(HttpServerProperties properties) {
        return server -> server
                .readTimeout(properties.readTimeout())
                .requestTimeout(properties.requestTimeout())
                .idleTimeout(properties.idleTimeout())
                .doOnChannelInit((observer, channel, remote) -> channel.pipeline().addFirst(LingeringClose.NAME,
                        new LingeringClose(properties.lingerTimeout(), properties.lingerMaxSize().toBytes())));
    }
}
