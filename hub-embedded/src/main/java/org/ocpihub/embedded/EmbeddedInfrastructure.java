package org.ocpihub.embedded;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** An embedded PostgreSQL and an embedded Kafka started and stopped together. */
public final class EmbeddedInfrastructure implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedInfrastructure.class);

    private final EmbeddedPostgresServer postgres;
    private final EmbeddedKafkaServer kafka;
    private final String databaseName;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedInfrastructure(EmbeddedPostgresServer postgres, EmbeddedKafkaServer kafka, String databaseName) {
        this.postgres = postgres;
        this.kafka = kafka;
        this.databaseName = databaseName;
    }

    /**
     * Starts both servers with their data under {@code dataDirectory} ({@code postgres/} and {@code kafka/}),
     * kept across restarts, and creates {@code databaseName} if it is missing.
     */
    public static EmbeddedInfrastructure start(Path dataDirectory, String databaseName) {
        Path directory = dataDirectory.toAbsolutePath();
        return start(() -> EmbeddedPostgresServer.start(directory.resolve("postgres")),
                () -> EmbeddedKafkaServer.start(directory.resolve("kafka")), databaseName);
    }

    /** Starts both servers in temporary directories, deleted on close, and creates {@code databaseName}. */
    public static EmbeddedInfrastructure startTemporary(String databaseName) {
        return start(EmbeddedPostgresServer::startTemporary, EmbeddedKafkaServer::startTemporary, databaseName);
    }

    private static EmbeddedInfrastructure start(Supplier<EmbeddedPostgresServer> postgresStarter,
            Supplier<EmbeddedKafkaServer> kafkaStarter, String databaseName) {
        long started = System.nanoTime();
        // Kafka (in-process, CPU-bound) starts on another thread while this one waits for the postgres process
        CompletableFuture<EmbeddedKafkaServer> kafka = CompletableFuture.supplyAsync(kafkaStarter,
                runnable -> new Thread(runnable, "embedded-kafka-starter").start());
        EmbeddedPostgresServer postgres;
        try {
            postgres = postgresStarter.get();
            postgres.createDatabaseIfMissing(databaseName);
        } catch (RuntimeException e) {
            kafka.thenAccept(EmbeddedKafkaServer::close);
            throw e;
        }
        try {
            EmbeddedInfrastructure infrastructure = new EmbeddedInfrastructure(postgres, kafka.join(), databaseName);
            log.info("Embedded infrastructure up in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            return infrastructure;
        } catch (CompletionException e) {
            postgres.close();
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /** The endpoints for the database named at start. */
    public InfrastructureEndpoints endpoints() {
        return endpoints(databaseName);
    }

    /** The endpoints for any database of this server (see {@link EmbeddedPostgresServer#createDatabaseIfMissing}). */
    public InfrastructureEndpoints endpoints(String database) {
        return new InfrastructureEndpoints(postgres.r2dbcUrl(database), postgres.jdbcUrl(database),
                postgres.username(), postgres.password(), kafka.bootstrapServers());
    }

    public EmbeddedPostgresServer postgres() {
        return postgres;
    }

    public EmbeddedKafkaServer kafka() {
        return kafka;
    }

    /** Stops Kafka, then PostgreSQL; idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            kafka.close();
        } finally {
            postgres.close();
        }
    }
}
