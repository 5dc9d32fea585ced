package org.ocpihub.router;

import java.time.Duration;

import org.ocpihub.registry.config.HubProperties;
import org.ocpihub.registry.secret.PolicyAddressResolverGroup;
import org.ocpihub.router.pipeline.RoutingProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ChannelOption;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/** Wires routing: the pooled client for receivers, circuit breakers per receiving platform and their metrics. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RoutingProperties.class)
public class RouterConfiguration {

    /** The pooled Reactor Netty client every call to a member platform goes through. */
    @Bean
    HttpClient routingHttpClient(HubProperties hub, PolicyAddressResolverGroup outboundAddressResolver) {
        ConnectionProvider pool = ConnectionProvider.builder("ocpihub-routing")
                .maxConnections(1000)
                .pendingAcquireMaxCount(-1)
                .maxIdleTime(Duration.ofSeconds(30))
                .build();
        return HttpClient.create(pool)
                .resolver(outboundAddressResolver) // the URL policy on every resolved address, at connect time
                .followRedirect(false) // a 3xx is relayed (its Location rewritten and checked), never followed
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) hub.http().connectTimeout().toMillis());
    }

    /** The same client behind WebClient, for the hub's own calls (results, timeouts, deliveries). */
    @Bean
    WebClient routingWebClient(HttpClient routingHttpClient, HubProperties hub) {
        return WebClient.builder().clientConnector(new ReactorClientHttpConnector(routingHttpClient))
                .codecs(c -> c.defaultCodecs().maxInMemorySize((int) hub.http().maxAnswerSize().toBytes()))
                .build();
    }

    @Bean
    CircuitBreakerRegistry receiverCircuitBreakers(RoutingProperties properties, MeterRegistry meters) {
        CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .failureRateThreshold(properties.circuitBreakerFailureRate())
                .slidingWindowSize(properties.circuitBreakerWindow())
                .minimumNumberOfCalls(Math.min(10, properties.circuitBreakerWindow()))
                .waitDurationInOpenState(properties.circuitBreakerOpenFor())
                .permittedNumberOfCallsInHalfOpenState(2)
                // a requester that hangs up mid-request says nothing about the receiver
                .ignoreException(org.ocpihub.router.forward.RequesterGone::in)
                .build());
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(registry).bindTo(meters);
        return registry;
    }
}
