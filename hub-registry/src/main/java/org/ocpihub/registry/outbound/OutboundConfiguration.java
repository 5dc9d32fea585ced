package org.ocpihub.registry.outbound;

import org.ocpihub.registry.config.HubProperties;
import org.ocpihub.registry.secret.EndpointUrlPolicy;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ReactorResourceFactory;

/** Wires the one outbound client factory on the hub's own event loops (see {@link OutboundHttpClients}). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(OutboundProperties.class)
public class OutboundConfiguration {

    /**
     * The factory, on the loops of the hub's {@link ReactorResourceFactory} (which the embedding application declares
     * with {@code useGlobalResources=false}, so each hub owns its loops); closed with the context.
     */
    @Bean
    OutboundHttpClients outboundHttpClients(OutboundProperties properties, HubProperties hub, EndpointUrlPolicy policy,
                                            ReactorResourceFactory resources) {
        return new OutboundHttpClients(properties, hub.http(), policy, resources.getLoopResources());
    }
}
