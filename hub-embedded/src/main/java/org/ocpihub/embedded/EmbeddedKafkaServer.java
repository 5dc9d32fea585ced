package org.ocpihub.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;

/**
 * A single-node Kafka 4.2 broker (KRaft, broker and controller in one) running inside this JVM, on 127.0.0.1.
 *
 * <p>Close it: its threads are not daemons and keep the JVM alive. Kafka logs a lot at INFO: with logback, set
 * the loggers {@code kafka}, {@code org.apache.kafka} and {@code state.change.logger} to WARN. A fatal broker
 * fault (e.g. the log directory failing) halts the JVM, as it would halt a standalone broker.
 */
public final class EmbeddedKafkaServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaServer.class);

    private static final String HOST = "127.0.0.1";
    private static final int NODE_ID = 1;
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final int START_ATTEMPTS = 3;
    // Kafka locks its log directory only once the broker half starts, after the controller half has already
    // opened the metadata log: a second instance on the same directory would write to it. Lock it first.
    private static final String LOCK_FILE = "embedded-kafka.lock";

    private final KafkaRaftServer server;
    private final int port;
    private final FileChannel directoryLock;
    private final Optional<Path> temporaryDirectory;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedKafkaServer(KafkaRaftServer server, int port, FileChannel directoryLock,
            Optional<Path> temporaryDirectory) {
        this.server = server;
        this.port = port;
        this.directoryLock = directoryLock;
        this.temporaryDirectory = temporaryDirectory;
    }

    /**
     * Starts a broker whose log lives in {@code logDirectory}: formatted on the first start, reused afterwards.
     * The ports are chosen anew on each start.
     */
    public static EmbeddedKafkaServer start(Path logDirectory) {
        return start(Directories.createDirectories(logDirectory), Optional.empty());
    }

    /** Starts a throw-away broker for tests: its log directory is deleted on close. */
    public static EmbeddedKafkaServer startTemporary() {
        Path directory = Directories.createTemporary("embedded-kafka");
        try {
            return start(directory, Optional.of(directory));
        } catch (RuntimeException e) {
            deleteQuietly(directory);
            throw e;
        }
    }

    private static EmbeddedKafkaServer start(Path directory, Optional<Path> temporaryDirectory) {
        long started = System.nanoTime();
        FileChannel lock = lock(directory);
        try {
            boolean formatted = formatIfNeeded(directory);
            for (int attempt = 1;; attempt++) {
                // free ports are picked before the broker binds them: another process may take one meanwhile
                int[] ports = twoFreePorts();
                int brokerPort = ports[0];
                int controllerPort = ports[1];
                KafkaRaftServer server = new KafkaRaftServer(config(directory, brokerPort, controllerPort),
                        Time.SYSTEM);
                try {
                    server.startup();
                } catch (RuntimeException e) {
                    shutdownQuietly(server);
                    if (attempt < START_ATTEMPTS && causedByBindFailure(e)) {
                        log.info("Kafka port {} or {} was taken meanwhile; retrying", brokerPort, controllerPort);
                        continue;
                    }
                    throw new IllegalStateException("Cannot start Kafka in " + directory, e);
                }
                log.info("Kafka ({}{}) listening on {}:{}, started in {} ms",
                        temporaryDirectory.isPresent() ? "temporary" : "persistent in " + directory,
                        formatted ? ", newly formatted" : "", HOST, brokerPort,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
                return new EmbeddedKafkaServer(server, brokerPort, lock, temporaryDirectory);
            }
        } catch (RuntimeException e) {
            closeQuietly(lock);
            throw e;
        }
    }

    /** Holds an exclusive lock on the directory for the server's lifetime; fails if another instance holds it. */
    private static FileChannel lock(Path directory) {
        Path lockFile = directory.resolve(LOCK_FILE);
        FileChannel channel;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open " + lockFile, e);
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) { // held by an instance in this JVM
            lock = null;
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("Cannot lock " + lockFile, e);
        }
        if (lock == null) {
            closeQuietly(channel);
            throw new IllegalStateException("The Kafka log directory " + directory + " is in use");
        }
        return channel;
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            log.debug("While closing {}", channel, e);
        }
    }

    /**
     * Formats the directory unless {@code meta.properties} shows it was formatted already; the cluster id is
     * generated once and kept in that file. Uses the library formatter directly: kafka-storage's command line
     * entry point calls System.exit.
     */
    private static boolean formatIfNeeded(Path directory) {
        if (Files.exists(directory.resolve("meta.properties"))) {
            return false;
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try (PrintStream printStream = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            new Formatter()
                    .setPrintStream(printStream)
                    .setNodeId(NODE_ID)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .addDirectory(directory.toString())
                    .setMetadataLogDirectory(directory.toString())
                    // static controller.quorum.voters (kraft.version 0): the controller's address is read from
                    // the configuration on each start instead of being recorded in the metadata log
                    .setHasDynamicQuorum(false)
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot format the Kafka log directory " + directory, e);
        }
        log.debug("Formatted {}: {}", directory, output.toString(StandardCharsets.UTF_8).trim());
        return true;
    }

    private static KafkaConfig config(Path directory, int brokerPort, int controllerPort) {
        Map<String, String> properties = new HashMap<>();
        properties.put("process.roles", "broker,controller");
        properties.put("node.id", Integer.toString(NODE_ID));
        properties.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        properties.put("controller.listener.names", CONTROLLER_LISTENER);
        properties.put("listeners", "PLAINTEXT://" + HOST + ":" + brokerPort + "," + CONTROLLER_LISTENER + "://"
                + HOST + ":" + controllerPort);
        properties.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + brokerPort);
        properties.put("inter.broker.listener.name", "PLAINTEXT");
        properties.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        properties.put("log.dirs", directory.toString());
        // one broker: every replication factor and ISR minimum is 1
        properties.put("default.replication.factor", "1");
        properties.put("min.insync.replicas", "1");
        properties.put("offsets.topic.replication.factor", "1");
        properties.put("transaction.state.log.replication.factor", "1");
        properties.put("transaction.state.log.min.isr", "1");
        properties.put("share.coordinator.state.topic.replication.factor", "1");
        properties.put("share.coordinator.state.topic.min.isr", "1");
        // the internal topics' default of 50 partitions each is slow to create and pointless on one node
        properties.put("offsets.topic.num.partitions", "5");
        properties.put("transaction.state.log.num.partitions", "5");
        properties.put("share.coordinator.state.topic.num.partitions", "5");
        // consumers join a group at once instead of after the default 3 s
        properties.put("group.initial.rebalance.delay.ms", "0");
        // the log cleaner allocates its dedupe buffer on the heap up front: 128 MiB by default
        properties.put("log.cleaner.dedupe.buffer.size", Integer.toString(8 * 1024 * 1024));
        // sized for an embedded broker on a small machine, not for a dedicated server
        properties.put("num.network.threads", "2");
        properties.put("num.io.threads", "4");
        properties.put("background.threads", "4");
        return new KafkaConfig(properties, false);
    }

    /** Two different free ports: both sockets are held open together, so the OS cannot hand out one twice. */
    private static int[] twoFreePorts() {
        try (ServerSocket first = new ServerSocket(0, 1, InetAddress.getByName(HOST));
             ServerSocket second = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return new int[] {first.getLocalPort(), second.getLocalPort()};
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot find free ports", e);
        }
    }

    private static boolean causedByBindFailure(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof BindException) {
                return true;
            }
        }
        return false;
    }

    private static void shutdownQuietly(KafkaRaftServer server) {
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            log.debug("While shutting down a Kafka broker that failed to start", e);
        }
    }

    private static void deleteQuietly(Path directory) {
        try {
            Directories.deleteRecursively(directory);
        } catch (IOException e) {
            log.warn("Cannot delete {}", directory, e);
        }
    }

    /** Where clients connect: {@code 127.0.0.1:<port>}. */
    public String bootstrapServers() {
        return HOST + ":" + port;
    }

    /** Shuts the broker down and waits until it has stopped; a temporary broker's log is deleted. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long started = System.nanoTime();
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            closeQuietly(directoryLock); // releases the lock
        }
        log.info("Kafka on {} stopped in {} ms", bootstrapServers(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        temporaryDirectory.ifPresent(EmbeddedKafkaServer::deleteQuietly);
    }
}
