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
 * kafka_consumer_fetch_manager_records_lag_max{client_id}}) and the producer's {@code kafka.producer.*}. Kafka
 * creates some metrics only later (per-partition lag once partitions are assigned), so each binding looks for new ones
 * every {@link #REFRESH} on a daemon thread of its own (never an event loop), stopped with the client: Micrometer does
 * not stop a scheduler it was given.
 */
final class KafkaClientMeters implements ReceiverOptions.ConsumerListener, SenderOptions.ProducerListener,
        AutoCloseable {

    /** How soon a Kafka metric created after the client started shows up. */
    static final Duration REFRESH = Duration.ofSeconds(10);

    /** One client's meters and the thread that refreshes them. */
    private record Binding(KafkaClientMetrics metrics, ScheduledExecutorService refresher) {

        void close() {
            refresher.shutdownNow();
            metrics.close(); // removes its meters: a restarted client binds afresh
        }
    }

    private final MeterRegistry registry;
    private final Map<String, Binding> bound = new ConcurrentHashMap<>();

    KafkaClientMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void consumerAdded(String id, Consumer<?, ?> consumer) {
        ScheduledExecutorService refresher = refresher(id);
        bind(id, new Binding(new KafkaClientMetrics(consumer, List.<Tag>of(), refresher, REFRESH), refresher));
    }

    @Override
    public void consumerRemoved(String id, Consumer<?, ?> consumer) {
        unbind(id);
    }

    @Override
    public void producerAdded(String id, Producer<?, ?> producer) {
        ScheduledExecutorService refresher = refresher(id);
        bind(id, new Binding(new KafkaClientMetrics(producer, List.<Tag>of(), refresher, REFRESH), refresher));
    }

    @Override
    public void producerRemoved(String id, Producer<?, ?> producer) {
        unbind(id);
    }

    private static ScheduledExecutorService refresher(String id) {
        return Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "kafka-meters-" + id);
            thread.setDaemon(true);
            return thread;
        });
    }

    private void bind(String id, Binding binding) {
        Binding previous = bound.put(id, binding);
        if (previous != null) {
            previous.close();
        }
        binding.metrics().bindTo(registry);
    }

    private void unbind(String id) {
        Binding binding = bound.remove(id);
        if (binding != null) {
            binding.close();
        }
    }

    @Override
    public void close() {
        bound.keySet().forEach(this::unbind);
    }
}
