package org.ocpihub.app.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ocpihub.embedded.EmbeddedPostgresServer;
import org.ocpihub.embedded.InfrastructureEndpoints;

/**
 * Issue 10: a production-jar hub on a Kafka that wants its clients to authenticate (SASL), configured only through
 * {@code spring.kafka.properties.*} as the Helm chart and compose files do. With the right credentials every Kafka
 * client of the hub gets in: the topic set-up at start, the health check behind readiness and the fan-out consumer
 * (seen as a member of the consumer group). With a wrong password the hub does not start, says why, and its log
 * never holds either password.
 */
class KafkaSaslTest {

    private static final String USER = "ocpihub";
    private static final String PASSWORD = "sasl-pw-" + Long.toHexString(System.nanoTime());
    private static final String DATABASE = "ocpihub";

    private static Path jar;
    private static Path postgresDirectory;
    private static EmbeddedPostgresServer postgres;
    private static RestartableKafka kafka;
    private static InfrastructureEndpoints endpoints;

    @BeforeAll
    static void startPostgresAndASaslKafka() throws Exception {
        jar = Path.of(System.getProperty("hub.server.jar", "../hub-server/target/ocpi-hub-server.jar"));
        Assumptions.assumeTrue(Files.isRegularFile(jar), () -> "skipped: the production jar " + jar
                + " is not built (./mvnw package builds it; ./mvnw verify runs this test after it)");
        postgresDirectory = Files.createTempDirectory("sasl-postgres");
        postgres = EmbeddedPostgresServer.start(postgresDirectory);
        postgres.createDatabaseIfMissing(DATABASE);
        kafka = RestartableKafka.startWithSaslPlain(USER, PASSWORD);
        String address = "127.0.0.1:" + postgres.port() + "/" + DATABASE;
        endpoints = new InfrastructureEndpoints("r2dbc:postgresql://" + address, "jdbc:postgresql://" + address,
                postgres.username(), postgres.password(), kafka.bootstrapServers());
    }

    @AfterAll
    static void stopAll() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void withTheRightCredentialsEveryKafkaClientOfTheHubGetsIn() throws Exception {
        try (ExternalHub hub = ExternalHub.launchJar(jar, endpoints, sasl(PASSWORD))) {
            hub.awaitReady(Duration.ofSeconds(120)); // the topic was set up at start, the health check passes

            assertThat(hub.getAsAdmin("/actuator/prometheus").body())
                    .containsPattern("ocpihub_dependency_up\\{[^}]*dependency=\"kafka\"[^}]*} 1\\.0");
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers(),
                    "security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN", "sasl.jaas.config",
                    jaas(PASSWORD)))) {
                assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains("ocpihub.broadcasts");
                Awaitility.await("the hub's fan-out consumer in its group").atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                            ConsumerGroupDescription group = admin.describeConsumerGroups(List.of("ocpihub-fanout"))
                                    .all().get(30, TimeUnit.SECONDS).get("ocpihub-fanout");
                            assertThat(group.members()).isNotEmpty();
                        });
            }
            assertThat(Files.readString(hub.log())).doesNotContain(PASSWORD);
        }
    }

    @Test
    void withAWrongPasswordTheHubDoesNotStartSaysWhyAndLogsNoPassword() throws Exception {
        String wrong = "wrong-" + PASSWORD;
        try (ExternalHub hub = ExternalHub.launchJar(jar, endpoints, sasl(wrong))) {
            Awaitility.await("the hub gives up").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                    .until(() -> !hub.isAlive());

            String log = Files.readString(hub.log());
            assertThat(log).as(hub.tail()).contains("cannot set up Kafka topic ocpihub.broadcasts")
                    .containsIgnoringCase("authentication failed");
            assertThat(log).doesNotContain(wrong).doesNotContain(PASSWORD);
        }
    }

    private static Map<String, String> sasl(String password) {
        return Map.of("spring.kafka.properties.security.protocol", "SASL_PLAINTEXT",
                "spring.kafka.properties.sasl.mechanism", "PLAIN",
                "spring.kafka.properties.sasl.jaas.config", jaas(password));
    }

    private static String jaas(String password) {
        return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + USER
                + "\" password=\"" + password + "\";";
    }
}
