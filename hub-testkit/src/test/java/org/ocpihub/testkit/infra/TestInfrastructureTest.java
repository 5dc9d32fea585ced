package org.ocpihub.testkit.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.ocpihub.embedded.InfrastructureEndpoints;

class TestInfrastructureTest {

    @Test
    void noVariablesMeansEmbedded() {
        assertThat(TestInfrastructure.fromEnvironment(Map.of())).isEmpty();
    }

    @Test
    void allVariablesMeanExternal() {
        Map<String, String> environment = Map.of(
                TestInfrastructure.R2DBC_URL, "r2dbc:postgresql://db:5432/hub",
                TestInfrastructure.JDBC_URL, "jdbc:postgresql://db:5432/hub",
                TestInfrastructure.DB_USER, "hub",
                TestInfrastructure.DB_PASSWORD, "secret",
                TestInfrastructure.KAFKA_BOOTSTRAP, "kafka:9092");
        assertThat(TestInfrastructure.fromEnvironment(environment)).contains(new InfrastructureEndpoints(
                "r2dbc:postgresql://db:5432/hub", "jdbc:postgresql://db:5432/hub", "hub", "secret", "kafka:9092"));
    }

    @Test
    void someVariablesAreAMistake() {
        assertThatThrownBy(() -> TestInfrastructure.fromEnvironment(Map.of(TestInfrastructure.DB_USER, "hub")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining(TestInfrastructure.KAFKA_BOOTSTRAP);
    }

    @Test
    void startsOneInfrastructurePerJvm() throws Exception {
        InfrastructureEndpoints endpoints = TestInfrastructure.get();
        assertThat(TestInfrastructure.get()).isSameAs(endpoints);
        assertThat(endpoints.jdbcUrl()).endsWith("/" + TestInfrastructure.DATABASE);
        try (Connection connection = DriverManager.getConnection(endpoints.jdbcUrl(), endpoints.username(),
                endpoints.password())) {
            assertThat(connection.isValid(5)).isTrue();
        }
    }
}
