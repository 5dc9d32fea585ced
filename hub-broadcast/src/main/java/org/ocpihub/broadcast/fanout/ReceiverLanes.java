package org.ocpihub.broadcast.fanout;

import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;

import org.ocpihub.broadcast.BroadcastProperties;
import org.ocpihub.broadcast.delivery.Delivery;
import org.ocpihub.broadcast.delivery.DeliveryClient;
import org.ocpihub.broadcast.delivery.DeliveryOutcome;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * One ordered lane per receiving platform: its deliveries go one after the other, in the order the hub accepted the
 * broadcasts (Hub Client Info included), while every other platform's lane runs on its own, so a slow or dead
 * receiver holds up only itself.
 * A lane holds at most {@code hub.broadcast.receiver-backlog} waiting deliveries; beyond that a delivery fails at once
 * (recorded for replay) instead of growing memory or stalling the log.
 */
@Component
public class ReceiverLanes implements DisposableBean {

    /** A delivery waiting in a lane and where its result goes. */
    private record Job(Delivery delivery, Sinks.One<DeliveryClient.Result> result) {
    }

    private final DeliveryClient client;
    private final int capacity;
    private final Map<String, Sinks.Many<Job>> lanes = new ConcurrentHashMap<>();
    private final Disposable.Composite drains = Disposables.composite();

    public ReceiverLanes(DeliveryClient client, BroadcastProperties properties) {
        this.client = client;
        this.capacity = properties.receiverBacklog();
    }

    /** Queues the delivery now (so order is the caller's order) and returns its eventual result. */
    public Mono<DeliveryClient.Result> submit(Delivery delivery) {
        Sinks.Many<Job> lane = lanes.computeIfAbsent(delivery.receiverPlatformId().toString(),
                key -> open());
        Job job = new Job(delivery, Sinks.one());
        Sinks.EmitResult emitted;
        synchronized (lane) { // several partitions feed one lane; a unicast sink wants serial emission
            emitted = lane.tryEmitNext(job);
        }
        if (emitted.isFailure()) {
            return Mono.just(new DeliveryClient.Result(DeliveryOutcome.FAILED, 0,
                    "receiver backlog full (" + capacity + " waiting deliveries): receiver too slow"));
        }
        return job.result().asMono();
    }

    private Sinks.Many<Job> open() {
        Queue<Job> queue = new ArrayBlockingQueue<>(capacity);
        Sinks.Many<Job> sink = Sinks.many().unicast().onBackpressureBuffer(queue);
        drains.add(sink.asFlux()
                .concatMap(job -> client.deliver(job.delivery())
                        .doOnNext(result -> job.result().tryEmitValue(result)), 1)
                .subscribe());
        return sink;
    }

    @Override
    public void destroy() {
        drains.dispose();
    }
}
