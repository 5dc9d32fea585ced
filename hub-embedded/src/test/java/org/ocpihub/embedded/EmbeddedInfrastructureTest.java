package org.ocpihub.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedInfrastructureTest {

    @TempDir
    Path dataDirectory;

    @Test
    void keepsDatabaseAndTopicsAcrossARestart() throws Exception {
        try (EmbeddedInfrastructure infrastructure = EmbeddedInfrastructure.start(dataDirectory, "ocpihub")) {
            InfrastructureEndpoints endpoints = infrastructure.endpoints();
            assertThat(endpoints.r2dbcUrl()).startsWith("r2dbc:postgresql://127.0.0.1:").endsWith("/ocpihub");
            assertThat(endpoints.jdbcUrl()).startsWith("jdbc:postgresql://127.0.0.1:").endsWith("/ocpihub");
            assertThat(endpoints.toString()).contains("password=***").doesNotContain("password=" + endpoints.password());
            try (Connection connection = connect(endpoints); Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE hub (name text)");
                statement.execute("INSERT INTO hub VALUES ('first run')");
            }
            EmbeddedKafkaServerTest.produce(infrastructure.kafka(), "events", "k", "first run");
        }
        assertThat(dataDirectory.resolve("postgres/PG_VERSION")).exists();
        assertThat(dataDirectory.resolve("kafka/meta.properties")).exists();

        try (EmbeddedInfrastructure infrastructure = EmbeddedInfrastructure.start(dataDirectory, "ocpihub")) {
            try (Connection connection = connect(infrastructure.endpoints());
                    Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT name FROM hub")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("first run");
            }
            assertThat(EmbeddedKafkaServerTest.consume(infrastructure.kafka(), "events", 1))
                    .containsExactly("k=first run");
        }
    }

    @Test
    void twoHubsWithTheirOwnDataDirectoriesRunSideBySide() throws Exception {
        try (EmbeddedInfrastructure first = EmbeddedInfrastructure.start(dataDirectory.resolve("hub-a"), "ocpihub");
                EmbeddedInfrastructure second = EmbeddedInfrastructure.startTemporary("other")) {
            assertThat(first.endpoints().jdbcUrl()).isNotEqualTo(second.endpoints().jdbcUrl());
            assertThat(first.endpoints().kafkaBootstrapServers())
                    .isNotEqualTo(second.endpoints().kafkaBootstrapServers());
            try (Connection connection = connect(second.endpoints()); Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT current_database()")) {
                rows.next();
                assertThat(rows.getString(1)).isEqualTo("other");
            }
        }
    }

    private static Connection connect(InfrastructureEndpoints endpoints) throws SQLException {
        return DriverManager.getConnection(endpoints.jdbcUrl(), endpoints.username(), endpoints.password());
    }
}
