package org.ocpihub.registry.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.r2dbc.postgresql.PostgresqlConnectionFactoryProvider;
import io.r2dbc.spi.ConnectionFactoryOptions;

/**
 * What {@code hub.database.*} sends to PostgreSQL, and how it meets what an operator set through
 * {@code spring.r2dbc.properties} (Spring Boot hands those over as text). The sessions that carry it are checked
 * against a real PostgreSQL in hub-app's {@code ClientInfoOutboxTest}.
 */
class DatabaseSessionSettingsTest {

    private static final DatabaseSessionSettings DEFAULTS = new DatabaseSessionSettings(
            new HubProperties.Database(Duration.ofSeconds(60), "ocpi-hub"));

    @Test
    void theDefaultsAskForAMinuteAndNameTheSessions() {
        ConnectionFactoryOptions.Builder builder = ConnectionFactoryOptions.builder();
        DEFAULTS.customize(builder);
        ConnectionFactoryOptions options = builder.build();
        assertThat(options.getValue(PostgresqlConnectionFactoryProvider.OPTIONS))
                .isEqualTo(Map.of("idle_in_transaction_session_timeout", "60000"));
        assertThat(options.getValue(PostgresqlConnectionFactoryProvider.APPLICATION_NAME)).isEqualTo("ocpi-hub");
    }

    @Test
    void theOperatorsOptionsAsTextOrMapAreKeptAndWin() {
        assertThat(DEFAULTS.merged("statement_timeout=5s; idle_in_transaction_session_timeout=120000"))
                .containsEntry("statement_timeout", "5s")
                .containsEntry("idle_in_transaction_session_timeout", "120000");
        assertThat(DEFAULTS.merged(Map.of("search_path", "hub"))).containsEntry("search_path", "hub")
                .containsEntry("idle_in_transaction_session_timeout", "60000");
        assertThat(DEFAULTS.merged(null)).containsOnlyKeys("idle_in_transaction_session_timeout");
    }

    @Test
    void theOperatorsApplicationNameWins() {
        ConnectionFactoryOptions.Builder builder = ConnectionFactoryOptions.builder()
                .option(PostgresqlConnectionFactoryProvider.APPLICATION_NAME, "hub-eu-1");
        DEFAULTS.customize(builder);
        assertThat(builder.build().getValue(PostgresqlConnectionFactoryProvider.APPLICATION_NAME))
                .isEqualTo("hub-eu-1");
    }

    @Test
    void zeroTurnsTheTimeoutOffAndValuesPostgresqlOrTheRelayCannotLiveWithAreRefused() {
        assertThat(new DatabaseSessionSettings(new HubProperties.Database(Duration.ZERO, "ocpi-hub")).parameters())
                .containsEntry("idle_in_transaction_session_timeout", "0");
        assertThatThrownBy(() -> new HubProperties.Database(Duration.ofSeconds(10), "ocpi-hub"))
                .hasMessageContaining("hub.database.idle-in-transaction-timeout").hasMessageContaining("PT10S");
        assertThatThrownBy(() -> new HubProperties.Database(Duration.ofDays(30), "ocpi-hub"))
                .hasMessageContaining("hub.database.idle-in-transaction-timeout");
        assertThatThrownBy(() -> new HubProperties.Database(Duration.ofSeconds(60), " "))
                .hasMessageContaining("hub.database.application-name");
    }
}
