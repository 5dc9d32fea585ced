package org.ocpihub.registry.outbound;

import java.time.Duration;

import org.ocpihub.registry.config.HubProperties;
import org.ocpihub.registry.secret.EndpointUrlPolicy;
import org.ocpihub.registry.secret.PolicyAddressResolverGroup;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

import io.netty.channel.ChannelOption;
import io.netty.resolver.AddressResolverGroup;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;
import reactor.netty.transport.NameResolverProvider;

/**
 * The one factory of every call the hub makes to a member platform: forwarding and relays, broadcast deliveries and
 * Hub Client Info pushes, command TIMEOUTs, handshakes (versions, details, credentials) and still-alive checks.
 * <p>
 * One connection pool ({@link OutboundProperties}, {@code hub.outbound.*}; Reactor Netty pools per remote address,
 * so its limits hold per receiving platform), whose metrics are published as {@code reactor.netty.connection.provider.*}
 * (pool name {@value #POOL_NAME}); the hub's own event loops (the {@link LoopResources} of its
 * {@code ReactorResourceFactory}, never Reactor Netty's JVM-wide ones); the URL policy on every resolved address at
 * connect time ({@link PolicyAddressResolverGroup}, D11; name lookups run on the same loops); no redirects followed
 * (a 3xx is an answer); the connect timeout {@code hub.http.connect-timeout}; answers read whole are bounded by
 * {@code hub.http.max-answer-size}. The headers of each call are written by {@link OcpiRequestHeaders}; whether it
 * failed is decided by {@link MemberFailures}.
 * <p>
 * Closing the factory closes its pool and resolver (not the event loops: they belong to the resource factory).
 */
public final class OutboundHttpClients implements AutoCloseable {

    /** The name of the pool in metrics and logs. */
    public static final String POOL_NAME = "ocpihub-outbound";

    private final ConnectionProvider pool;
    private final AddressResolverGroup<?> names;
    private final HttpClient httpClient;
    private final WebClient webClient;

    /**
     * @param loops the hub's event loops (e.g. {@code ReactorResourceFactory#getLoopResources()})
     */
    public OutboundHttpClients(OutboundProperties properties, HubProperties.Http http, EndpointUrlPolicy policy,
                               LoopResources loops) {
        this(POOL_NAME, properties, http, policy, loops);
    }

    /**
     * A factory with its own pool name and loops: broadcast deliveries use one apart from routing's
     * ({@code DeliveryHttpClients} in hub-broadcast), so that a fan-out storm neither queues routed requests on the
     * same event loops nor takes their connections to a member.
     *
     * @param poolName the pool's name in metrics ({@code reactor.netty.connection.provider.*{name=…}})
     * @param loops    the event loops its connections and name lookups run on (not closed by {@link #close()})
     */
    public OutboundHttpClients(String poolName, OutboundProperties properties, HubProperties.Http http,
                               EndpointUrlPolicy policy, LoopResources loops) {
        ConnectionProvider.Builder builder = ConnectionProvider.builder(poolName)
                .maxConnections(properties.maxConnections())
                .pendingAcquireMaxCount(properties.pendingAcquireMaxCount())
                .pendingAcquireTimeout(properties.pendingAcquireTimeout())
                .maxIdleTime(properties.maxIdleTime())
                .metrics(true);
        if (positive(properties.maxLifeTime())) {
            builder.maxLifeTime(properties.maxLifeTime());
        }
        if (positive(properties.evictInBackground())) {
            builder.evictInBackground(properties.evictInBackground());
        }
        this.pool = builder.build();
        this.names = NameResolverProvider.builder().build().newNameResolverGroup(loops, LoopResources.DEFAULT_NATIVE);
        this.httpClient = HttpClient.create(pool)
                .runOn(loops)
                .resolver(new PolicyAddressResolverGroup(names, policy)) // D11 on every resolved address
                .followRedirect(false) // a 3xx is relayed (its Location rewritten and checked) or refused, never followed
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) http.connectTimeout().toMillis());
        this.webClient = WebClient.builder().clientConnector(new ReactorClientHttpConnector(httpClient))
                .codecs(c -> c.defaultCodecs().maxInMemorySize((int) http.maxAnswerSize().toBytes()))
                .build();
    }

    private static boolean positive(Duration duration) {
        return duration != null && !duration.isZero() && !duration.isNegative();
    }

    /**
     * Reactor Netty's client, for calls that stream (forwarding: headers written into Netty's request, buffers handed
     * on). Set a response timeout per request ({@code HttpClientRequest#responseTimeout}).
     */
    public HttpClient httpClient() {
        return httpClient;
    }

    /**
     * The same client behind Spring's {@link WebClient}, for calls whose answer the hub reads whole (deliveries,
     * handshakes, still-alive, command TIMEOUTs): at most {@code hub.http.max-answer-size} is held.
     */
    public WebClient webClient() {
        return webClient;
    }

    /** The pool, e.g. for its metrics. */
    public ConnectionProvider connectionProvider() {
        return pool;
    }

    @Override
    public void close() {
        pool.dispose();
        names.close();
    }
}
