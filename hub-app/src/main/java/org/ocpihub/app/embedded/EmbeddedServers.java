package org.ocpihub.app.embedded;

import java.nio.file.Path;
import java.util.Map;

import org.ocpihub.embedded.EmbeddedInfrastructure;
import org.ocpihub.embedded.InfrastructureEndpoints;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;

/**
 * The only class of the application that touches the embedded servers, so that in external mode they are never
 * loaded. They stop when the application context closes, or at JVM exit if it never got that far.
 */
final class EmbeddedServers {

    static final String DATABASE = "ocpihub";

    private EmbeddedServers() {
    }

    static Map<String, Object> start(Path dataDir, SpringApplication application) {
        EmbeddedInfrastructure infrastructure = EmbeddedInfrastructure.start(dataDir, DATABASE);
        Runtime.getRuntime().addShutdownHook(new Thread(infrastructure::close, "embedded-infrastructure-stop"));
        application.addListeners((ApplicationListener<ContextClosedEvent>) event -> infrastructure.close());
        InfrastructureEndpoints e = infrastructure.endpoints();
        return Map.of(
                "spring.r2dbc.url", e.r2dbcUrl(),
                "spring.r2dbc.username", e.username(),
                "spring.r2dbc.password", e.password(),
                "spring.flyway.url", e.jdbcUrl(),
                "spring.flyway.user", e.username(),
                "spring.flyway.password", e.password(),
                "spring.kafka.bootstrap-servers", e.kafkaBootstrapServers());
    }
}
