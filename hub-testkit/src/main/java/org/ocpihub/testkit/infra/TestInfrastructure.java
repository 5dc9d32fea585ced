package org.ocpihub.testkit.infra;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.ocpihub.embedded.EmbeddedInfrastructure;
import org.ocpihub.embedded.InfrastructureEndpoints;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL and Kafka that tests use, one per JVM: external ones from {@code HUB_TEST_*} environment
 * variables; else, when a Docker engine is reachable, containers started by Testcontainers; else an embedded pair.
 * Started on first use, stopped at JVM shutdown. {@link InfrastructureChoice#choose} decides; the log says what it
 * chose and why (hub-testkit/README.md).
 */
public final class TestInfrastructure {

    private static final Logger log = LoggerFactory.getLogger(TestInfrastructure.class);

    static final String R2DBC_URL = "HUB_TEST_R2DBC_URL";
    static final String JDBC_URL = "HUB_TEST_JDBC_URL";
    static final String DB_USER = "HUB_TEST_DB_USER";
    static final String DB_PASSWORD = "HUB_TEST_DB_PASSWORD";
    static final String KAFKA_BOOTSTRAP = "HUB_TEST_KAFKA_BOOTSTRAP";
    private static final List<String> VARIABLES = List.of(R2DBC_URL, JDBC_URL, DB_USER, DB_PASSWORD, KAFKA_BOOTSTRAP);

    static final String DATABASE = "ocpihub";

    private static InfrastructureEndpoints endpoints; // guarded by TestInfrastructure.class

    private TestInfrastructure() {
    }

    /** The endpoints; the first call starts containers or embedded servers as {@link InfrastructureChoice} says. */
    public static synchronized InfrastructureEndpoints get() {
        if (endpoints == null) {
            InfrastructureChoice choice = InfrastructureChoice.choose(System.getenv(), Files::exists);
            log.info("Test infrastructure: {}, because {}", choice.kind(), choice.reason());
            endpoints = switch (choice.kind()) {
                case EXTERNAL -> external(fromEnvironment(System.getenv()).orElseThrow());
                case TESTCONTAINERS -> containers();
                case EMBEDDED -> embedded();
            };
        }
        return endpoints;
    }

    /**
     * The external endpoints if all {@code HUB_TEST_*} variables are set; none set means not external. Some but not
     * all set is a mistake worth failing on rather than silently testing against something else.
     */
    static Optional<InfrastructureEndpoints> fromEnvironment(Map<String, String> environment) {
        List<String> missing = VARIABLES.stream().filter(name -> environment.get(name) == null).toList();
        if (missing.size() == VARIABLES.size()) {
            return Optional.empty();
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("External test infrastructure needs all of " + VARIABLES
                    + "; missing: " + missing);
        }
        return Optional.of(new InfrastructureEndpoints(environment.get(R2DBC_URL), environment.get(JDBC_URL),
                environment.get(DB_USER), environment.get(DB_PASSWORD), environment.get(KAFKA_BOOTSTRAP)));
    }

    private static InfrastructureEndpoints external(InfrastructureEndpoints external) {
        log.info("Test infrastructure: external, from the HUB_TEST_* environment variables: {}", external);
        return external;
    }

    private static InfrastructureEndpoints containers() {
        log.info("Test infrastructure: starting PostgreSQL ({}) and Kafka ({}) containers",
                ContainerInfrastructure.POSTGRES_IMAGE, ContainerInfrastructure.KAFKA_IMAGE);
        InfrastructureEndpoints started = ContainerInfrastructure.start(DATABASE);
        log.info("Test infrastructure: Testcontainers, {}", started);
        return started;
    }

    private static InfrastructureEndpoints embedded() {
        log.info("Test infrastructure: starting the embedded PostgreSQL and Kafka");
        EmbeddedInfrastructure infrastructure = EmbeddedInfrastructure.startTemporary(DATABASE);
        Runtime.getRuntime().addShutdownHook(new Thread(infrastructure::close, "test-infrastructure-stop"));
        InfrastructureEndpoints started = infrastructure.endpoints();
        log.info("Test infrastructure: embedded, {}", started);
        return started;
    }
}
