package org.ocpihub.testkit.infra;

import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.utils.AppInfoParser;
import org.ocpihub.embedded.InfrastructureEndpoints;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * PostgreSQL and Kafka (KRaft, one node) in Docker containers, started by Testcontainers, for the tests of one JVM.
 * Testcontainers' reaper container removes them when the JVM ends, even after a crash; a shutdown hook stops them
 * earlier on a normal exit.
 */
final class ContainerInfrastructure {

    /** The PostgreSQL major version the embedded servers run (zonky's 17.x binaries). */
    static final DockerImageName POSTGRES_IMAGE = DockerImageName.parse("postgres:17");
    /** The official Apache Kafka image of the version the hub's Kafka client has. */
    static final DockerImageName KAFKA_IMAGE = DockerImageName.parse("apache/kafka:" + AppInfoParser.getVersion());

    private ContainerInfrastructure() {
    }

    /** Starts both containers (in parallel) and returns their endpoints as seen from this host. */
    static InfrastructureEndpoints start(String database) {
        PostgreSQLContainer postgres = new PostgreSQLContainer(POSTGRES_IMAGE).withDatabaseName(database)
                .withUsername("ocpihub").withPassword("ocpihub");
        KafkaContainer kafka = new KafkaContainer(KAFKA_IMAGE);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            kafka.stop();
            postgres.stop();
        }, "test-containers-stop"));
        CompletableFuture.allOf(CompletableFuture.runAsync(postgres::start), CompletableFuture.runAsync(kafka::start))
                .join();
        String address = postgres.getHost() + ":" + postgres.getMappedPort(PostgreSQLContainer.POSTGRESQL_PORT) + "/"
                + database;
        return new InfrastructureEndpoints("r2dbc:postgresql://" + address, "jdbc:postgresql://" + address,
                postgres.getUsername(), postgres.getPassword(), kafka.getBootstrapServers());
    }
}
