package org.ocpihub.app.health;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.awaitility.Awaitility;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;

/**
 * A single-node KRaft Kafka broker in this JVM that can be stopped and started again on the same ports and log
 * directory, so that a hub configured with its address finds it again: what a Kafka outage looks like to a hub.
 * ({@link org.ocpihub.embedded.EmbeddedKafkaServer} picks new ports on every start.)
 */
final class RestartableKafka implements AutoCloseable {

    private static final String HOST = "127.0.0.1";

    private final Path directory;
    private final int brokerPort;
    private final int controllerPort;
    /** The JAAS line of the broker's SASL/PLAIN listener (its users), or null for a plaintext listener. */
    private final String saslUsers;
    private KafkaRaftServer server; // null while stopped

    private RestartableKafka(Path directory, int brokerPort, int controllerPort, String saslUsers) {
        this.directory = directory;
        this.brokerPort = brokerPort;
        this.controllerPort = controllerPort;
        this.saslUsers = saslUsers;
    }

    /** Formats a new log directory and starts the broker with a plaintext listener. */
    static RestartableKafka start() {
        return start(null);
    }

    /**
     * Formats a new log directory and starts the broker with a SASL_PLAINTEXT listener (mechanism PLAIN) that admits
     * only {@code user} with {@code password}: a Kafka that wants its clients to authenticate.
     */
    static RestartableKafka startWithSaslPlain(String user, String password) {
        String broker = "broker-" + Uuid.randomUuid();
        return start("org.apache.kafka.common.security.plain.PlainLoginModule required username=\"broker\" password=\""
                + broker + "\" user_broker=\"" + broker + "\" user_" + user + "=\"" + password + "\";");
    }

    private static RestartableKafka start(String saslUsers) {
        try {
            Path directory = Files.createTempDirectory("restartable-kafka");
            int[] ports = freePorts();
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            new Formatter().setPrintStream(new PrintStream(output, true, StandardCharsets.UTF_8)).setNodeId(1)
                    .setClusterId(Uuid.randomUuid().toString()).setControllerListenerName("CONTROLLER")
                    .addDirectory(directory.toString()).setMetadataLogDirectory(directory.toString())
                    .setHasDynamicQuorum(false).run();
            RestartableKafka kafka = new RestartableKafka(directory, ports[0], ports[1], saslUsers);
            kafka.startAgain();
            return kafka;
        } catch (Exception e) {
            throw new IllegalStateException("cannot start Kafka", e);
        }
    }

    String bootstrapServers() {
        return HOST + ":" + brokerPort;
    }

    /**
     * Starts the stopped broker on its ports and log directory. While it was down another process may have been
     * handed one of its ports for an outgoing connection; such a port is free again soon, so binding is retried.
     */
    synchronized void startAgain() {
        if (server == null) {
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(this::tryToStart);
        }
    }

    private boolean tryToStart() {
        KafkaRaftServer started = new KafkaRaftServer(new KafkaConfig(properties(), false), Time.SYSTEM);
        try {
            started.startup();
            server = started;
            return true;
        } catch (RuntimeException e) {
            started.shutdown();
            started.awaitShutdown();
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof BindException) {
                    return false;
                }
            }
            throw e;
        }
    }

    /** Stops the broker and waits until it has; its ports are closed afterwards. */
    synchronized void stop() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
    }

    @Override
    public void close() {
        stop();
        try (var files = Files.walk(directory)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Map<String, String> properties() {
        Map<String, String> properties = new HashMap<>();
        properties.put("process.roles", "broker,controller");
        properties.put("node.id", "1");
        properties.put("controller.quorum.voters", "1@" + HOST + ":" + controllerPort);
        properties.put("controller.listener.names", "CONTROLLER");
        String listener = saslUsers == null ? "PLAINTEXT" : "SASL_PLAINTEXT";
        properties.put("listeners", listener + "://" + HOST + ":" + brokerPort + ",CONTROLLER://" + HOST + ":"
                + controllerPort);
        properties.put("advertised.listeners", listener + "://" + HOST + ":" + brokerPort);
        properties.put("inter.broker.listener.name", listener);
        properties.put("listener.security.protocol.map", listener + ":" + listener + ",CONTROLLER:PLAINTEXT");
        if (saslUsers != null) {
            properties.put("sasl.enabled.mechanisms", "PLAIN");
            properties.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
            properties.put("listener.name.sasl_plaintext.plain.sasl.jaas.config", saslUsers);
        }
        properties.put("log.dirs", directory.toString());
        properties.put("offsets.topic.replication.factor", "1");
        properties.put("offsets.topic.num.partitions", "3");
        properties.put("transaction.state.log.replication.factor", "1");
        properties.put("transaction.state.log.min.isr", "1");
        properties.put("share.coordinator.state.topic.replication.factor", "1");
        properties.put("share.coordinator.state.topic.min.isr", "1");
        properties.put("group.initial.rebalance.delay.ms", "0");
        properties.put("log.cleaner.dedupe.buffer.size", Integer.toString(8 * 1024 * 1024));
        properties.put("num.network.threads", "2");
        properties.put("num.io.threads", "2");
        return properties;
    }

    private static int[] freePorts() throws IOException {
        try (ServerSocket first = new ServerSocket(0, 1, InetAddress.getByName(HOST));
             ServerSocket second = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return new int[] {first.getLocalPort(), second.getLocalPort()};
        }
    }
}
