package org.ocpihub.app;

import org.ocpihub.app.edge.HttpServerProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ReactorResourceFactory;

import reactor.netty.resources.LoopResources;

/**
 * Each hub application context owns its Netty event loops instead of reactor-netty's JVM-wide ones, so that closing
 * one hub (tests run several in one JVM; an embedding application might too) never shuts down another's server.
 * Their number is {@code hub.http.event-loops} (one per core, at least 2, by default; see
 * {@link HttpServerProperties#eventLoops()}).
 */
@Configuration(proxyBeanMethods = false)
public class NettyResourcesConfiguration {

    @Bean
    ReactorResourceFactory reactorResourceFactory(HttpServerProperties http) {
        ReactorResourceFactory factory = new ReactorResourceFactory();
        factory.setUseGlobalResources(false);
        int loops = http.eventLoopCount();
        factory.setLoopResourcesSupplier(() -> LoopResources.create("webflux-http", loops, true));
        return factory;
    }
}
