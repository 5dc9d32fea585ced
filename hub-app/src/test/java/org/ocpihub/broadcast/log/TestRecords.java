package org.ocpihub.broadcast.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Records on partition 0 of a test topic of the real broker, written and read back by the consumer tests here. */
final class TestRecords {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private TestRecords() {
    }

    /** Writes {@code count} string records ("push 0", "push 1", …) to partition 0, each acknowledged by the broker. */
    static void produce(String bootstrap, String topic, int count) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, 0, "key", "push " + i)).get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** Polls until the consumer joined its group, was given the partition and read {@code count} records. */
    static List<ConsumerRecord<String, String>> pollAll(Consumer<String, String> consumer, int count) {
        List<ConsumerRecord<String, String>> received = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (received.size() < count) {
            assertThat(System.nanoTime() - deadline).as("all records polled within %s", WAIT).isNegative();
            consumer.poll(Duration.ofMillis(500)).forEach(received::add);
        }
        return received;
    }
}
