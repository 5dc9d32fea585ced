package org.ocpihub.broadcast.log;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The durable log of accepted broadcasts (D7). The hub talks to Kafka only through this, because reactor-kafka is
 * discontinued upstream: a replacement needs to change one class.
 */
public interface BroadcastLog {

    /** Completes once the record is durably written (acknowledged by all in-sync replicas). */
    Mono<Void> append(BroadcastRecord record);

    /** Records to fan out, shared among all hub instances; each must be acknowledged once fully handled. */
    Flux<PendingBroadcast> consume();

    /**
     * The fan-out's backlog over every instance: records appended that the fan-out has not yet acknowledged as
     * handled (for Kafka, the sum over the topic's partitions of the end offset minus the consumer group's committed
     * offset). A record is acknowledged once each of its deliveries ended, so this grows while receivers or the
     * fan-out lag. Empty when it cannot be measured now.
     */
    default Mono<Long> backlog() {
        return Mono.empty();
    }

    /** A consumed record and how to say it was handled (deliveries done or recorded as failed). */
    record PendingBroadcast(BroadcastRecord record, int partition, long offset, Runnable acknowledge) {
    }
}
