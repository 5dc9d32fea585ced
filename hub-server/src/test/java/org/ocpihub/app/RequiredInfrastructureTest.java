package org.ocpihub.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.ocpihub.app.RequiredInfrastructure.MissingInfrastructureException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/** Issue 8 item 1: the production hub refuses to start without its PostgreSQL and Kafka addresses, in one sentence. */
class RequiredInfrastructureTest {

    private static StandardEnvironment environment(Map<String, Object> properties) {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().addFirst(new MapPropertySource("test", properties));
        return env;
    }

    @Test
    void noAddressAtAllNamesTheThreePropertiesAndTheEmbeddedJar() {
        MissingInfrastructureException refused = catchThrowableOfType(MissingInfrastructureException.class,
                () -> RequiredInfrastructure.check(environment(Map.of())));
        assertThat(refused.missing()).containsExactly("spring.r2dbc.url", "spring.flyway.url",
                "spring.kafka.bootstrap-servers");
        assertThat(refused.getMessage())
                .startsWith("The OCPI hub needs the addresses of its PostgreSQL and Kafka: set spring.r2dbc.url, "
                        + "spring.flyway.url and spring.kafka.bootstrap-servers")
                .contains("run ocpi-hub.jar instead")
                .doesNotContain("\n");
    }

    @Test
    void onlyTheKafkaAddressMissingNamesIt() {
        MissingInfrastructureException refused = catchThrowableOfType(MissingInfrastructureException.class,
                () -> RequiredInfrastructure.check(environment(Map.of(
                        "spring.r2dbc.url", "r2dbc:postgresql://db:5432/ocpihub",
                        "spring.flyway.url", "jdbc:postgresql://db:5432/ocpihub"))));
        assertThat(refused.missing()).containsExactly("spring.kafka.bootstrap-servers");
        assertThat(refused.getMessage()).contains("(not set: spring.kafka.bootstrap-servers)");
    }

    @Test
    void anEmptyValueCountsAsNotSet() {
        MissingInfrastructureException refused = catchThrowableOfType(MissingInfrastructureException.class,
                () -> RequiredInfrastructure.check(environment(Map.of(
                        "spring.r2dbc.url", " ",
                        "spring.flyway.url", "jdbc:postgresql://db:5432/ocpihub",
                        "spring.kafka.bootstrap-servers", "kafka:9092"))));
        assertThat(refused.missing()).containsExactly("spring.r2dbc.url");
    }

    @Test
    void allThreeSetPasses() {
        assertThatCode(() -> RequiredInfrastructure.check(environment(Map.of(
                "spring.r2dbc.url", "r2dbc:postgresql://db:5432/ocpihub",
                "spring.flyway.url", "jdbc:postgresql://db:5432/ocpihub",
                "spring.kafka.bootstrap-servers", "kafka:9092")))).doesNotThrowAnyException();
    }

    @Test
    void theFailureReportIsTheSentenceAndWhatToSet() {
        MissingInfrastructureException refused = catchThrowableOfType(MissingInfrastructureException.class,
                () -> RequiredInfrastructure.check(environment(Map.of())));
        // Spring Boot hands the analyzer the exception as thrown, possibly wrapped
        FailureAnalysis analysis = new MissingInfrastructureFailureAnalyzer()
                .analyze(new IllegalStateException("wrapped", refused));
        assertThat(analysis.getDescription()).isEqualTo(refused.getMessage());
        assertThat(analysis.getAction()).contains("--spring.r2dbc.url=", "--spring.flyway.url=",
                "--spring.kafka.bootstrap-servers=");
    }
}
