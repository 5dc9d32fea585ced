package org.ocpihub.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaServerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path logDirectory;

    @Test
    void keepsRecordsAcrossARestartOnTheSameLogDirectory() throws Exception {
        try (EmbeddedKafkaServer kafka = EmbeddedKafkaServer.start(logDirectory)) {
            createTopic(kafka, "sessions");
            produce(kafka, "sessions", "NL*EXA", "session-1");
        }
        assertThat(logDirectory.resolve("meta.properties")).exists();
        String clusterId = clusterIdOf(logDirectory);

        try (EmbeddedKafkaServer kafka = EmbeddedKafkaServer.start(logDirectory)) {
            assertThat(clusterIdOf(logDirectory)).as("not formatted again").isEqualTo(clusterId);
            assertThat(kafka.bootstrapServers()).startsWith("127.0.0.1:");
            assertThat(consume(kafka, "sessions", 1)).containsExactly("NL*EXA=session-1");
            // the restarted broker, on new ports, takes new writes too
            produce(kafka, "sessions", "NL*EXA", "session-2");
            assertThat(consume(kafka, "sessions", 2)).containsExactly("NL*EXA=session-1", "NL*EXA=session-2");
        }
    }

    @Test
    void aTemporaryBrokerProducesAndConsumesAndClosesIdempotently() throws Exception {
        EmbeddedKafkaServer kafka = EmbeddedKafkaServer.startTemporary();
        try {
            produce(kafka, "tariffs", "k", "v"); // auto-created topic
            assertThat(consume(kafka, "tariffs", 1)).containsExactly("k=v");
        } finally {
            kafka.close();
            kafka.close();
        }
    }

    @Test
    void twoPersistentBrokersRunSideBySide() throws Exception {
        // started concurrently, as two hubs booting at once would
        CompletableFuture<EmbeddedKafkaServer> starting = CompletableFuture
                .supplyAsync(() -> EmbeddedKafkaServer.start(logDirectory.resolve("b")));
        try (EmbeddedKafkaServer first = EmbeddedKafkaServer.start(logDirectory.resolve("a"));
                EmbeddedKafkaServer second = starting.join()) {
            assertThat(first.bootstrapServers()).isNotEqualTo(second.bootstrapServers());
            produce(first, "cdrs", "k", "first");
            produce(second, "cdrs", "k", "second");
            assertThat(consume(first, "cdrs", 1)).containsExactly("k=first");
            assertThat(consume(second, "cdrs", 1)).containsExactly("k=second");
        }
    }

    @Test
    void refusesALogDirectoryThatIsInUse() {
        try (EmbeddedKafkaServer kafka = EmbeddedKafkaServer.start(logDirectory)) {
            assertThatThrownBy(() -> EmbeddedKafkaServer.start(logDirectory))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("in use");
        }
    }

    private static void createTopic(EmbeddedKafkaServer kafka, String topic)
            throws InterruptedException, ExecutionException, TimeoutException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    static void produce(EmbeddedKafkaServer kafka, String topic, String key, String value)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            producer.send(new ProducerRecord<>(topic, key, value)).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Reads from the beginning, in a new consumer group, until {@code count} records arrived or the timeout. */
    static List<String> consume(EmbeddedKafkaServer kafka, String topic, int count) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        List<String> received = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (received.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    received.add(record.key() + "=" + record.value());
                }
            }
        }
        return received;
    }

    private static String clusterIdOf(Path directory) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(directory.resolve("meta.properties"))) {
            properties.load(reader);
        }
        return properties.getProperty("cluster.id");
    }
}
