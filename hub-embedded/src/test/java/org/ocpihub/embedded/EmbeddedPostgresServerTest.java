package org.ocpihub.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedPostgresServerTest {

    @TempDir
    Path dataDirectory;

    @Test
    void keepsRowsAcrossARestartOnTheSameDataDirectory() throws SQLException {
        try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(dataDirectory)) {
            postgres.createDatabaseIfMissing("ocpihub");
            postgres.createDatabaseIfMissing("ocpihub"); // second call: no-op
            try (Connection connection = connect(postgres, "ocpihub"); Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE party (id text PRIMARY KEY)");
                statement.execute("INSERT INTO party VALUES ('NL*EXA')");
            }
        }
        assertThat(dataDirectory.resolve("PG_VERSION")).exists();

        try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(dataDirectory)) {
            postgres.createDatabaseIfMissing("ocpihub");
            try (Connection connection = connect(postgres, "ocpihub"); Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT id, upper('ä') FROM party")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("NL*EXA");
                assertThat(rows.getString(2)).as("builtin C.UTF-8 locale").isEqualTo("Ä");
                assertThat(rows.next()).isFalse();
            }
            assertThat(postgres.r2dbcUrl("ocpihub"))
                    .isEqualTo("r2dbc:postgresql://127.0.0.1:" + postgres.port() + "/ocpihub");
        }
    }

    @Test
    void twoPersistentServersRunSideBySide() throws SQLException {
        // started concurrently, as two hubs booting at once would
        CompletableFuture<EmbeddedPostgresServer> starting = CompletableFuture
                .supplyAsync(() -> EmbeddedPostgresServer.start(dataDirectory.resolve("b")));
        try (EmbeddedPostgresServer first = EmbeddedPostgresServer.start(dataDirectory.resolve("a"));
                EmbeddedPostgresServer second = starting.join()) {
            assertThat(first.port()).isNotEqualTo(second.port());
            assertThat(selectOne(first)).isEqualTo(1);
            assertThat(selectOne(second)).isEqualTo(1);
        }
    }

    @Test
    void refusesADataDirectoryThatIsInUse() {
        try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(dataDirectory)) {
            assertThatThrownBy(() -> EmbeddedPostgresServer.start(dataDirectory))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("in use");
        }
    }

    @Test
    void aTemporaryServerWorksAndClosesIdempotently() throws SQLException {
        EmbeddedPostgresServer postgres = EmbeddedPostgresServer.startTemporary();
        assertThat(selectOne(postgres)).isEqualTo(1);
        postgres.close();
        postgres.close();
        assertThatThrownBy(() -> selectOne(postgres)).isInstanceOf(SQLException.class);
        assertThatThrownBy(() -> postgres.createDatabaseIfMissing("Robert'); DROP"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static int selectOne(EmbeddedPostgresServer postgres) throws SQLException {
        try (Connection connection = connect(postgres, "postgres"); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT 1")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    private static Connection connect(EmbeddedPostgresServer postgres, String database) throws SQLException {
        return DriverManager.getConnection(postgres.jdbcUrl(database), postgres.username(), postgres.password());
    }
}
