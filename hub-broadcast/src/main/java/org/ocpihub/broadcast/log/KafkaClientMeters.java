package org.ocpihub.broadcast.log;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import reactor.kafka.receiver.ReceiverOptions;
import reactor.kafka.sender.SenderOptions;

/**
 * Binds the Kafka clients of the broadcast log to Micrometer while they exist (Micrometer's {@link KafkaClientMetrics}),
 * e.g. {@code kafka.consumer.fetch.manager.records.lag.max} (Prometheus {@code
 * kafka_consumer_fetch_manager_records_lag_max{client_id, topic, partition}}) and the producer's
 * {@code kafka.producer.*}. Kafka creates some metrics only later (per-partition lag once partitions are assigned), so
 * the binding looks for new ones every {@link #REFRESH} on one daemon thread of its own, never an event loop.
 */
final class KafkaClientMeters implements ReceiverOptions.ConsumerListener, SenderOptions.ProducerListener,
        AutoCloseable {

    /** How soon a Kafka metric created after the client started shows up. */
    static final Duration REFRESH = Duration.ofSeconds(10);

    private final MeterRegistry registry;
    private final Map<String, KafkaClientMetrics> bound = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "kafka-client-meters");
        thread.setDaemon(true);
        return thread;
    });

    KafkaClientMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void consumerAdded(String id, Consumer<?, ?> consumer) {
        bind(id, new KafkaClientMetrics(consumer, List.<Tag>of(), scheduler, REFRESH));
    }

    @Override
    public void consumerRemoved(String id, Consumer<?, ?> consumer) {
        unbind(id);
    }

    @Override
    public void producerAdded(String id, Producer<?, ?> producer) {
        bind(id, new KafkaClientMetrics(producer, List.<Tag>of(), scheduler, REFRESH));
    }

    @Override
    public void producerRemoved(String id, Producer<?, ?> producer) {
        unbind(id);
    }

    private void bind(String id, KafkaClientMetrics metrics) {
        metrics.bindTo(registry);
        KafkaClientMetrics previous = bound.put(id, metrics);
        if (previous != null) {
            previous.close();
        }
    }

    private void unbind(String id) {
        KafkaClientMetrics metrics = bound.remove(id);
        if (metrics != null) {
            metrics.close(); // removes its meters: a restarted consumer binds afresh
        }
    }

    @Override
    public void close() {
        bound.keySet().forEach(this::unbind);
        scheduler.shutdownNow();
    }
}
