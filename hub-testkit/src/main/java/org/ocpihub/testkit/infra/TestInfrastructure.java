package org.ocpihub.testkit.infra;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.ocpihub.embedded.EmbeddedInfrastructure;
import org.ocpihub.embedded.InfrastructureEndpoints;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL and Kafka that tests use, one per JVM: external ones from {@code HUB_TEST_*} environment
 * variables, or else an embedded pair started on first use and stopped at JVM shutdown.
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

    /** The endpoints, starting the embedded servers on the first call unless the environment names external ones. */
    public static synchronized InfrastructureEndpoints get() {
        if (endpoints == null) {
            endpoints = fromEnvironment(System.getenv()).map(TestInfrastructure::external)
                    .orElseGet(TestInfrastructure::embedded);
        }
        return endpoints;
    }

    /**
     * The external endpoints if all {@code HUB_TEST_*} variables are set; none set means embedded. Some but not all
     * set is a mistake worth failing on rather than silently testing against something else.
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

    private static InfrastructureEndpoints embedded() {
        log.info("Test infrastructure: embedded PostgreSQL and Kafka (no HUB_TEST_* environment variables)");
        EmbeddedInfrastructure infrastructure = EmbeddedInfrastructure.startTemporary(DATABASE);
        Runtime.getRuntime().addShutdownHook(new Thread(infrastructure::close, "test-infrastructure-stop"));
        InfrastructureEndpoints started = infrastructure.endpoints();
        log.info("Test infrastructure: embedded, {}", started);
        return started;
    }
}
