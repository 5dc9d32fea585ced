package org.ocpihub.app.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ocpihub.app.support.RawHttp;
import org.ocpihub.embedded.EmbeddedPostgresServer;
import org.ocpihub.embedded.InfrastructureEndpoints;

/**
 * Issue 10: what Kubernetes (deploy/helm) and Prometheus see of a production-jar hub while its PostgreSQL or its
 * Kafka is unreachable. Readiness ({@code /actuator/health/readiness}) goes DOWN (503), so the load balancer stops
 * sending it traffic; liveness stays UP (200), so it is not restarted; {@code ocpihub_dependency_up} says which
 * dependency is missing; and all of it comes back UP on its own when the dependency returns. The hub runs on a
 * PostgreSQL and a Kafka of its own that this test stops and starts for real (not the shared test infrastructure).
 */
class ProbesTest {

    private static final String DATABASE = "ocpihub";
    private static final Pattern DEPENDENCY_UP = Pattern.compile(
            "^ocpihub_dependency_up\\{[^}]*dependency=\"([a-z]+)\"[^}]*} ([0-9.]+)$", Pattern.MULTILINE);

    private static Path postgresDirectory;
    private static EmbeddedPostgresServer postgres;
    private static TcpRelay postgresAddress;
    private static RestartableKafka kafka;
    private static ExternalHub hub;

    @BeforeAll
    static void startHubOnItsOwnPostgresAndKafka() throws Exception {
        // in ./mvnw verify, hub-server is packaged before hub-app's tests run; ./mvnw test alone builds no jar
        Path jar = Path.of(System.getProperty("hub.server.jar", "../hub-server/target/ocpi-hub-server.jar"));
        Assumptions.assumeTrue(Files.isRegularFile(jar), () -> "skipped: the production jar " + jar
                + " is not built (./mvnw package builds it; ./mvnw verify runs this test after it)");
        postgresDirectory = Files.createTempDirectory("probes-postgres");
        postgres = EmbeddedPostgresServer.start(postgresDirectory);
        postgres.createDatabaseIfMissing(DATABASE);
        // a restarted PostgreSQL gets a new port; the relay keeps one address for the hub
        postgresAddress = TcpRelay.to(postgres.port());
        kafka = RestartableKafka.start();
        String address = "127.0.0.1:" + postgresAddress.port() + "/" + DATABASE;
        InfrastructureEndpoints endpoints = new InfrastructureEndpoints("r2dbc:postgresql://" + address,
                "jdbc:postgresql://" + address, postgres.username(), postgres.password(), kafka.bootstrapServers());
        hub = ExternalHub.launchJar(jar, endpoints, Map.of()).awaitReady(Duration.ofSeconds(120));
    }

    @AfterAll
    static void stopAll() throws Exception {
        if (hub != null) {
            hub.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        if (postgresAddress != null) {
            postgresAddress.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void readinessFollowsKafkaWhileLivenessStaysUp() {
        awaitProbes(200, 200);
        awaitDependencyUp("kafka", 1);

        kafka.stop();
        awaitProbes(503, 200);
        awaitDependencyUp("kafka", 0);
        assertThat(dependencyUp("postgresql")).as("PostgreSQL is still there").contains(1);

        kafka.startAgain();
        awaitProbes(200, 200);
        awaitDependencyUp("kafka", 1);
        assertThat(hub.isAlive()).as("the hub never exits for an outage; log in %s", hub.log()).isTrue();
    }

    @Test
    void readinessFollowsPostgresqlWhileLivenessStaysUp() {
        awaitProbes(200, 200);
        awaitDependencyUp("postgresql", 1);

        postgres.close();
        awaitProbes(503, 200);
        awaitDependencyUp("postgresql", 0);
        assertThat(dependencyUp("kafka")).as("Kafka is still there").contains(1);

        postgres = EmbeddedPostgresServer.start(postgresDirectory);
        postgresAddress.retarget(postgres.port());
        awaitProbes(200, 200);
        awaitDependencyUp("postgresql", 1);
        assertThat(hub.isAlive()).as("the hub never exits for an outage; log in %s", hub.log()).isTrue();
    }

    /** Until readiness and liveness answer these status codes, together, with the matching status in the body. */
    private static void awaitProbes(int readiness, int liveness) {
        await().untilAsserted(() -> {
            assertThat(hub.isAlive()).as("hub process; log in %s", hub.log()).isTrue();
            try (RawHttp http = RawHttp.to(hub.url(), 10_000)) {
                RawHttp.Response ready = http.get("/actuator/health/readiness", null);
                RawHttp.Response live = http.get("/actuator/health/liveness", null);
                assertThat(ready.status()).as("readiness: %s", ready.body()).isEqualTo(readiness);
                assertThat(ready.json().get("status").asString()).isEqualTo(readiness == 200 ? "UP" : "DOWN");
                assertThat(live.status()).as("liveness: %s", live.body()).isEqualTo(liveness);
                assertThat(live.json().get("status").asString()).isEqualTo("UP");
            }
        });
    }

    private static void awaitDependencyUp(String dependency, int expected) {
        // refreshed every 10 s (DependencyUpGauges.PERIOD)
        await().untilAsserted(() -> assertThat(dependencyUp(dependency)).as(dependency).contains(expected));
    }

    /** {@code ocpihub_dependency_up{dependency=...}} as scraped by Prometheus (with the admin token). */
    private static Optional<Integer> dependencyUp(String dependency) {
        RawHttp.Response scrape = hub.getAsAdmin("/actuator/prometheus");
        assertThat(scrape.status()).as(scrape.body()).isEqualTo(200);
        Matcher series = DEPENDENCY_UP.matcher(scrape.body());
        while (series.find()) {
            if (series.group(1).equals(dependency)) {
                return Optional.of((int) Double.parseDouble(series.group(2)));
            }
        }
        return Optional.empty();
    }

    private static ConditionFactory await() {
        return Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .ignoreExceptions();
    }
}
