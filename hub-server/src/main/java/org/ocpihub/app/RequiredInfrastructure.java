package org.ocpihub.app;

import java.util.List;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Stops the hub at start-up, before any bean is made, when the addresses of its PostgreSQL and Kafka are not
 * configured: the production jar (hub-server, {@code ocpi-hub-server.jar}) starts nothing embedded, and without
 * them it would fail later with a stack of bean errors. {@link MissingInfrastructureFailureAnalyzer} turns the
 * refusal into Spring Boot's one-paragraph "APPLICATION FAILED TO START" report.
 *
 * <p>A listener of {@link ApplicationEnvironmentPreparedEvent} ordered last, rather than an
 * {@code EnvironmentPostProcessor}: it runs after every post-processor (so after the embedded default of
 * {@code ocpi-hub.jar}, hub-app's {@code EmbeddedDefaults}, has supplied the addresses) and after logging is
 * initialised (so the report reaches the log). Registered in {@code META-INF/spring.factories}.
 */
public class RequiredInfrastructure implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

    /** The properties the hub cannot start without, in the order the message names them. */
    static final List<String> REQUIRED = List.of("spring.r2dbc.url", "spring.flyway.url",
            "spring.kafka.bootstrap-servers");

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        check(event.getEnvironment());
    }

    /**
     * @throws MissingInfrastructureException naming every one of {@link #REQUIRED} that is not set (an empty value
     *                                        counts as not set)
     */
    static void check(ConfigurableEnvironment env) {
        List<String> missing = REQUIRED.stream().filter(name -> {
            String value = env.getProperty(name);
            return value == null || value.isBlank();
        }).toList();
        if (!missing.isEmpty()) {
            throw new MissingInfrastructureException(missing);
        }
    }

    /** The hub was started without the addresses it needs; {@link #missing()} names them. */
    public static final class MissingInfrastructureException extends IllegalStateException {

        private final List<String> missing;

        MissingInfrastructureException(List<String> missing) {
            super("The OCPI hub needs the addresses of its PostgreSQL and Kafka: set spring.r2dbc.url, "
                    + "spring.flyway.url and spring.kafka.bootstrap-servers (not set: " + String.join(", ", missing)
                    + "); for a local try with an embedded PostgreSQL and Kafka, run ocpi-hub.jar instead.");
            this.missing = List.copyOf(missing);
        }

        /** The required properties that were not set, e.g. {@code [spring.r2dbc.url, spring.flyway.url]}. */
        public List<String> missing() {
            return missing;
        }
    }
}
