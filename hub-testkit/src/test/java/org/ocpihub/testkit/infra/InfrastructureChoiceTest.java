package org.ocpihub.testkit.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ocpihub.testkit.infra.InfrastructureChoice.Kind;

/** The choice between external servers, Testcontainers and the embedded servers, on made-up machines. */
class InfrastructureChoiceTest {

    private static final Predicate<Path> NO_FILES = path -> false;
    private static final Predicate<Path> DOCKER_SOCKET_ONLY = InfrastructureChoice.DOCKER_SOCKET::equals;

    private static final Map<String, String> EXTERNAL = Map.of(
            TestInfrastructure.R2DBC_URL, "r2dbc:postgresql://db:5432/hub",
            TestInfrastructure.JDBC_URL, "jdbc:postgresql://db:5432/hub",
            TestInfrastructure.DB_USER, "hub",
            TestInfrastructure.DB_PASSWORD, "secret",
            TestInfrastructure.KAFKA_BOOTSTRAP, "kafka:9092");

    @Test
    void aMachineWithoutDockerGetsTheEmbeddedServers() {
        InfrastructureChoice choice = InfrastructureChoice.choose(Map.of("PATH", "/usr/bin"), NO_FILES);
        assertThat(choice.kind()).isEqualTo(Kind.EMBEDDED);
        assertThat(choice.reason()).contains("DOCKER_HOST", "/var/run/docker.sock");
    }

    @Test
    void aDockerSocketMeansTestcontainers() {
        InfrastructureChoice choice = InfrastructureChoice.choose(Map.of(), DOCKER_SOCKET_ONLY);
        assertThat(choice.kind()).isEqualTo(Kind.TESTCONTAINERS);
        assertThat(choice.reason()).isEqualTo("/var/run/docker.sock exists");
    }

    @Test
    void theRealFileCheckSeesASocketFile(@TempDir Path directory) throws Exception {
        // the predicate TestInfrastructure passes is Files::exists; here pointed at a stand-in for the socket path
        Path socket = Files.createFile(directory.resolve("docker.sock"));
        Predicate<Path> socketHere = path -> path.equals(InfrastructureChoice.DOCKER_SOCKET) && Files.exists(socket);
        assertThat(InfrastructureChoice.choose(Map.of(), socketHere).kind()).isEqualTo(Kind.TESTCONTAINERS);
        Files.delete(socket);
        assertThat(InfrastructureChoice.choose(Map.of(), socketHere).kind()).isEqualTo(Kind.EMBEDDED);
    }

    @Test
    void dockerHostMeansTestcontainersEvenWithoutTheDefaultSocket() {
        InfrastructureChoice choice = InfrastructureChoice.choose(Map.of("DOCKER_HOST", "tcp://docker:2375"),
                NO_FILES);
        assertThat(choice.kind()).isEqualTo(Kind.TESTCONTAINERS);
        assertThat(choice.reason()).contains("DOCKER_HOST=tcp://docker:2375");
    }

    @Test
    void aBlankDockerHostIsNotADockerEngine() {
        assertThat(InfrastructureChoice.choose(Map.of("DOCKER_HOST", " "), NO_FILES).kind()).isEqualTo(Kind.EMBEDDED);
    }

    @Test
    void externalServersWinOverDocker() {
        Map<String, String> environment = new HashMap<>(EXTERNAL);
        environment.put("DOCKER_HOST", "unix:///var/run/docker.sock");
        InfrastructureChoice choice = InfrastructureChoice.choose(environment, DOCKER_SOCKET_ONLY);
        assertThat(choice.kind()).isEqualTo(Kind.EXTERNAL);
    }

    @Test
    void theEmbeddedServersCanBeForcedWhereDockerRuns() {
        InfrastructureChoice choice = InfrastructureChoice.choose(Map.of("HUB_TEST_INFRASTRUCTURE", "embedded"),
                DOCKER_SOCKET_ONLY);
        assertThat(choice.kind()).isEqualTo(Kind.EMBEDDED);
        assertThat(choice.reason()).isEqualTo("HUB_TEST_INFRASTRUCTURE=embedded");
    }

    @Test
    void testcontainersCanBeForcedForARemoteEngineTestcontainersFindsByItself() {
        assertThat(InfrastructureChoice.choose(Map.of("HUB_TEST_INFRASTRUCTURE", "Testcontainers"), NO_FILES).kind())
                .isEqualTo(Kind.TESTCONTAINERS);
    }

    @Test
    void anUnknownForcedKindIsAMistake() {
        assertThatThrownBy(() -> InfrastructureChoice.choose(Map.of("HUB_TEST_INFRASTRUCTURE", "docker"), NO_FILES))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("embedded or testcontainers");
    }

    @Test
    void someExternalVariablesAreAMistakeWhateverElseIsThere() {
        assertThatThrownBy(() -> InfrastructureChoice.choose(Map.of(TestInfrastructure.DB_USER, "hub"),
                DOCKER_SOCKET_ONLY)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theContainersAreTheVersionsTheHubRunsWith() {
        // the Kafka image follows the hub's Kafka client; PostgreSQL the embedded servers' major version
        assertThat(ContainerInfrastructure.KAFKA_IMAGE.asCanonicalNameString())
                .isEqualTo("apache/kafka:" + org.apache.kafka.common.utils.AppInfoParser.getVersion());
        assertThat(ContainerInfrastructure.POSTGRES_IMAGE.getVersionPart()).isEqualTo("17");
    }
}
