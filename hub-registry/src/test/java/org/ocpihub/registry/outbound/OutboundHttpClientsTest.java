package org.ocpihub.registry.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.ocpihub.registry.config.HubProperties;
import org.ocpihub.registry.secret.EndpointUrlPolicy;
import org.ocpihub.registry.secret.PolicyAddressResolverGroup;
import org.springframework.util.unit.DataSize;

import io.netty.channel.ChannelOption;
import reactor.netty.resources.LoopResources;

/** What every client the factory hands out carries: the given loops, the pool from properties, issue 7's guards. */
class OutboundHttpClientsTest {

    @Test
    void theClientRunsOnTheGivenLoopsWithThePoolFromPropertiesAndTheUrlPolicy() {
        LoopResources loops = LoopResources.create("outbound-test", 1, true);
        OutboundProperties properties = new OutboundProperties(7, 11, Duration.ofSeconds(3), Duration.ofSeconds(4),
                Duration.ofMinutes(2), Duration.ofSeconds(5));
        HubProperties.Http http = new HubProperties.Http(Duration.ofSeconds(10), Duration.ofMillis(1234),
                DataSize.ofMegabytes(1), DataSize.ofKilobytes(64));
        try (OutboundHttpClients clients = new OutboundHttpClients(properties, http, new EndpointUrlPolicy(false),
                loops)) {
            var config = clients.httpClient().configuration();
            assertThat(config.loopResources()).as("the hub's own loops, not Reactor Netty's global ones")
                    .isSameAs(loops);
            assertThat(config.connectionProvider()).isSameAs(clients.connectionProvider());
            assertThat(clients.connectionProvider().name()).isEqualTo(OutboundHttpClients.POOL_NAME);
            assertThat(clients.connectionProvider().maxConnections()).isEqualTo(7);
            assertThat(config.resolver()).isInstanceOf(PolicyAddressResolverGroup.class);
            assertThat(config.followRedirectPredicate()).as("redirects are answers, never followed").isNull();
            assertThat(config.options().get(ChannelOption.CONNECT_TIMEOUT_MILLIS)).isEqualTo(1234);
        } finally {
            loops.disposeLater().block(Duration.ofSeconds(10));
        }
    }

    @Test
    void theDefaultsKeepTodaysPoolSizeAndBoundThePendingAcquires() {
        OutboundProperties defaults = OutboundProperties.defaults();
        assertThat(defaults.maxConnections()).isEqualTo(1000);
        assertThat(defaults.pendingAcquireMaxCount()).isEqualTo(2000);
        assertThat(defaults.maxIdleTime()).isEqualTo(Duration.ofSeconds(30));
        assertThat(defaults.pendingAcquireTimeout()).isEqualTo(Duration.ofSeconds(45));
    }
}
