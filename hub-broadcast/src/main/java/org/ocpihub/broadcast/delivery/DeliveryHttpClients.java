package org.ocpihub.broadcast.delivery;

import java.time.Duration;

import org.ocpihub.broadcast.BroadcastProperties;
import org.ocpihub.registry.config.HubProperties;
import org.ocpihub.registry.outbound.OutboundHttpClients;
import org.ocpihub.registry.outbound.OutboundProperties;
import org.ocpihub.registry.secret.EndpointUrlPolicy;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.LoopResources;

/**
 * The outbound client of broadcast deliveries and Hub Client Info pushes: the same factory as every other call the hub
 * makes ({@link OutboundHttpClients}: URL policy at connect time, {@code hub.outbound.*} pool limits, no redirects),
 * but on event loops ({@value #LOOP_PREFIX}-N threads, {@code hub.broadcast.delivery-threads}) and a connection pool
 * ({@value #POOL_NAME}) of its own.
 * <p>
 * Why apart: with the hub's loops shared, a fan-out storm (at 1 000 members, onboarding alone sends 1.5 million
 * ClientInfo PUTs) fills every loop's task queue with delivery work, and a routed request (a command, a session
 * PATCH, an open-routing GET) waits its turn behind it; apart, routing's loops stay short, and the kernel's scheduler
 * runs those mostly sleeping threads ahead of the busy delivery threads when a request arrives. The pool apart means a
 * receiver flooded with deliveries still has connections free for routed requests (per remote address limits hold per
 * pool). With {@code delivery-threads=0} deliveries use the hub's loops and pool, as before.
 */
@Component
public class DeliveryHttpClients implements DisposableBean {

    /** The delivery pool's name in metrics ({@code reactor.netty.connection.provider.*{name="ocpihub-delivery"}}). */
    public static final String POOL_NAME = "ocpihub-delivery";
    /** The name prefix of the delivery event-loop threads. */
    public static final String LOOP_PREFIX = "ocpihub-delivery";

    private final LoopResources loops;
    private final OutboundHttpClients clients;

    /**
     * @param shared the hub's outbound factory, used as is when {@code hub.broadcast.delivery-threads} is 0
     */
    public DeliveryHttpClients(BroadcastProperties broadcast, OutboundHttpClients shared, OutboundProperties outbound,
                               HubProperties hub, EndpointUrlPolicy policy) {
        // -1: as many as the loops that serve and route (Reactor Netty's default, cores but at least 4); with only
        // one per core the delivery threads got too small a share of the CPU while pushes were accepted at full speed
        // (bench/national, docs/benchmarks.md: acceptance-to-arrival p99 5.1 s against 0.9 s with 4 on 2 cores)
        int threads = broadcast.deliveryThreads() < 0 ? LoopResources.DEFAULT_IO_WORKER_COUNT
                : broadcast.deliveryThreads();
        if (threads == 0) {
            this.loops = null;
            this.clients = shared;
        } else {
            this.loops = LoopResources.create(LOOP_PREFIX, threads, true);
            this.clients = new OutboundHttpClients(POOL_NAME, outbound, hub.http(), policy, loops);
        }
    }

    /**
     * Reactor Netty's client deliveries send with: the delivery pool and loops, the URL policy on every resolved
     * address, no redirects (see {@link OutboundHttpClients}).
     */
    public HttpClient httpClient() {
        return clients.httpClient();
    }

    /** Closes the own pool and loops (not the hub's shared ones). */
    @Override
    public void destroy() {
        if (loops != null) {
            clients.close();
            // on the closing thread (Spring's shutdown), as ReactorResourceFactory disposes the hub's own loops
            loops.disposeLater(Duration.ZERO, Duration.ofSeconds(5)).block(Duration.ofSeconds(10));
        }
    }
}
